package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.dst;
import static io.flowtrail.parse.FlowLogFiles.fixture;
import static io.flowtrail.parse.FlowLogFiles.linesAfterHeader;
import static io.flowtrail.parse.FlowLogFiles.pktDst;
import static io.flowtrail.parse.FlowLogFiles.pktSrc;
import static io.flowtrail.parse.FlowLogFiles.readAll;
import static io.flowtrail.parse.FlowRecordText.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.parse.FlowLogFiles.Read;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example flow logs of FORMATS.md §1.12 (A to E and G; F, the CloudWatch Logs payload, is in
 * {@link CloudWatchPayloadTest}), each a fixture file read the way the file source reads it.
 *
 * <p>Each example is checked twice: every record written back in its own format equals the input
 * line (so each value landed in its own typed slot), and the points the example is there to make
 * are asserted field by field.
 */
class FlowLogExamplesTest {
    private static final String ACCOUNT = "111122223333";
    private static final String ENI = "eni-0a1b2c3d4e5f60718";

    // ------------------------------------------------------------ A: default format, S3 text file

    @Test
    void exampleA_everyLineAfterTheHeaderIsARecordNamedByItsPhysicalLine() throws IOException {
        Path file = fixture("example-a-default-v2.log");

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.warnings()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(
                        file + ":2",
                        file + ":3",
                        file + ":4",
                        file + ":5",
                        file + ":6",
                        file + ":7",
                        file + ":8",
                        file + ":9");
        assertThat(read.records())
                .extracting(r -> render(r, FlowLogFormat.DEFAULT))
                .containsExactlyElementsOf(linesAfterHeader(file));
    }

    @Test
    void exampleA_inboundSshIsTypedFieldByField() throws IOException {
        FlowRecord ssh = readAll(fixture("example-a-default-v2.log")).records().get(0);

        assertThat(ssh.version).isEqualTo(2);
        assertThat(ssh.accountId).isEqualTo(ACCOUNT);
        assertThat(ssh.interfaceId).isEqualTo(ENI);
        assertThat(ssh.srcFamily).isEqualTo(IpAddresses.V4);
        assertThat(ssh.srcHi).isZero();
        assertThat(ssh.srcLo).isEqualTo(0xC6_33_64_18L); // 198.51.100.24
        assertThat(ssh.dstLo).isEqualTo(0x0A_00_01_0FL); // 10.0.1.15
        assertThat(ssh.srcPort).isEqualTo(50722);
        assertThat(ssh.dstPort).isEqualTo(22);
        assertThat(ssh.protocol).isEqualTo(6);
        assertThat(ssh.packets).isEqualTo(12L);
        assertThat(ssh.bytes).isEqualTo(2240L);
        assertThat(ssh.start).isEqualTo(1718028000L);
        assertThat(ssh.end).isEqualTo(1718028058L);
        assertThat(ssh.startMillis()).isEqualTo(1718028000000L);
        assertThat(ssh.action).isEqualTo(FlowRecord.ACTION_ACCEPT);
        assertThat(ssh.logStatus).isEqualTo(FlowRecord.STATUS_OK);
        assertThat(ssh.isTraffic()).isTrue();
        // Fields the default format does not carry stay absent.
        assertThat(ssh.vpcId).isNull();
        assertThat(ssh.tcpFlags).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(ssh.type).isEqualTo(FlowRecord.TYPE_ABSENT);
        assertThat(ssh.pktSrcFamily).isEqualTo(IpAddresses.NONE);
        assertThat(ssh.flowDirection).isEqualTo(FlowRecord.DIRECTION_UNKNOWN);
    }

    @Test
    void exampleA_ipv6RecordIsKnownByItsAddressSyntaxAlone() throws IOException {
        FlowRecord https = readAll(fixture("example-a-default-v2.log")).records().get(2);

        assertThat(https.srcFamily).isEqualTo(IpAddresses.V6);
        assertThat(https.srcHi).isEqualTo(0x2001_0db8_1234_a100L);
        assertThat(https.srcLo).isEqualTo(0x8d6e_3477_df66_f105L);
        assertThat(https.dstFamily).isEqualTo(IpAddresses.V6);
        assertThat(dst(https)).isEqualTo("2001:db8:1234:a102:3304:8879:34cf:4071");
        assertThat(https.type).isEqualTo(FlowRecord.TYPE_ABSENT);
    }

    @Test
    void exampleA_nodataAndSkipdataKeepTheirTimesButHaveNoFlow() throws IOException {
        List<FlowRecord> records = readAll(fixture("example-a-default-v2.log")).records();
        FlowRecord nodata = records.get(6);
        FlowRecord skipdata = records.get(7);

        assertThat(nodata.logStatus).isEqualTo(FlowRecord.STATUS_NODATA);
        assertThat(nodata.interfaceId).isEqualTo("eni-0b2c3d4e5f6071829");
        assertThat(nodata.start).isEqualTo(1718028000L);
        assertThat(nodata.end).isEqualTo(1718028060L);
        assertThat(nodata.srcFamily).isEqualTo(IpAddresses.NONE);
        assertThat(nodata.dstFamily).isEqualTo(IpAddresses.NONE);
        assertThat(nodata.srcPort).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(nodata.dstPort).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(nodata.protocol).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(nodata.packets).isEqualTo(FlowRecord.ABSENT);
        assertThat(nodata.bytes).isEqualTo(FlowRecord.ABSENT);
        assertThat(nodata.action).isEqualTo(FlowRecord.ACTION_ABSENT);
        assertThat(nodata.isTraffic()).isFalse();

        assertThat(skipdata.logStatus).isEqualTo(FlowRecord.STATUS_SKIPDATA);
        assertThat(skipdata.interfaceId).isEqualTo("eni-0c3d4e5f607182930");
        assertThat(skipdata.packets).isEqualTo(FlowRecord.ABSENT);
        assertThat(skipdata.isTraffic()).isFalse();
    }

    // ------------------------------------------------------------ B: custom format, version 5

    @Test
    void exampleB_customVersion5IsReadByItsHeader() throws IOException {
        Path file = fixture("example-b-custom-v5.log");
        FlowLogFormat header = FlowLogFormat.parse(Files.readAllLines(file).get(0));

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(header.size()).isEqualTo(29);
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(
                        file + ":2",
                        file + ":3",
                        file + ":4",
                        file + ":5",
                        file + ":6",
                        file + ":7",
                        file + ":8");
        assertThat(read.records())
                .extracting(r -> render(r, header))
                .containsExactlyElementsOf(linesAfterHeader(file));
    }

    @Test
    void exampleB_egressToS3CarriesVersion3To5Fields() throws IOException {
        FlowRecord toS3 = readAll(fixture("example-b-custom-v5.log")).records().get(0);

        assertThat(toS3.version).isEqualTo(5);
        assertThat(toS3.vpcId).isEqualTo("vpc-0a1b2c3d4e5f60718");
        assertThat(toS3.subnetId).isEqualTo("subnet-0aa11bb22cc33dd44");
        assertThat(toS3.instanceId).isEqualTo("i-0123456789abcdef0");
        assertThat(toS3.type).isEqualTo(FlowRecord.TYPE_IPV4);
        assertThat(toS3.tcpFlags).isEqualTo(3);
        assertThat(toS3.region).isEqualTo("us-east-1");
        assertThat(toS3.azId).isEqualTo("use1-az4");
        assertThat(toS3.sublocationType).isNull();
        assertThat(toS3.sublocationId).isNull();
        assertThat(toS3.pktSrcAwsService).isNull();
        assertThat(toS3.pktDstAwsService).isEqualTo("S3");
        assertThat(toS3.flowDirection).isEqualTo(FlowRecord.DIRECTION_EGRESS);
        assertThat(toS3.trafficPath).isEqualTo(8);
    }

    @Test
    void exampleB_natGatewayIngressShowsTheRealDestinationOnlyInPktDstaddr() throws IOException {
        FlowRecord natIngress = readAll(fixture("example-b-custom-v5.log")).records().get(2);

        assertThat(natIngress.instanceId).isNull();
        assertThat(natIngress.interfaceId).isEqualTo("eni-0d4e5f60718293a4b");
        assertThat(dst(natIngress)).isEqualTo("10.0.0.220");
        assertThat(pktSrc(natIngress)).isEqualTo("10.0.3.20");
        assertThat(pktDst(natIngress)).isEqualTo("203.0.113.5");
        assertThat(natIngress.flowDirection).isEqualTo(FlowRecord.DIRECTION_INGRESS);
        assertThat(natIngress.trafficPath).isEqualTo((int) FlowRecord.ABSENT);
    }

    @Test
    void exampleB_ipv6RowHasTypeIpv6AndCompressedAddresses() throws IOException {
        FlowRecord v6 = readAll(fixture("example-b-custom-v5.log")).records().get(5);

        assertThat(v6.type).isEqualTo(FlowRecord.TYPE_IPV6);
        assertThat(v6.srcFamily).isEqualTo(IpAddresses.V6);
        assertThat(v6.srcHi).isEqualTo(0x2001_0db8_1234_a102L);
        assertThat(v6.srcLo).isEqualTo(0x15L);
        assertThat(v6.pktDstHi).isEqualTo(0x2001_0db8_ffff_0000L);
        assertThat(v6.pktDstLo).isEqualTo(0x10L);
    }

    // ------------------------------------------------------------ C: bytes before packets

    private static final FlowLogFormat EXAMPLE_C_FORMAT =
            FlowLogFormat.parse(
                    "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id}"
                            + " ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr}"
                            + " ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end}"
                            + " ${action} ${tcp-flags} ${log-status}");

    @Test
    void exampleC_bytesBeforePacketsAreNotSwapped() throws IOException {
        Path file = fixture("example-c-bytes-before-packets-v3.log");

        Read read = readAll(file, EXAMPLE_C_FORMAT);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(r -> r.packets, r -> r.bytes)
                .containsExactly(
                        tuple(8L, 568L),
                        tuple(7L, 376L),
                        tuple(1219L, 63388L),
                        tuple(17L, 1260L),
                        tuple(14L, 967L),
                        tuple(1L, 40L));
    }

    @Test
    void exampleC_headerlessFileIsReadByTheGivenFormatFromLineOne() throws IOException {
        Path file = fixture("example-c-bytes-before-packets-v3.log");

        Read read = readAll(file, EXAMPLE_C_FORMAT);

        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.tcpFlags, r -> r.action)
                .containsExactly(
                        tuple(file + ":1", 2, FlowRecord.ACTION_ACCEPT),
                        tuple(file + ":2", 18, FlowRecord.ACTION_ACCEPT),
                        tuple(file + ":3", 1, FlowRecord.ACTION_ACCEPT),
                        tuple(file + ":4", 3, FlowRecord.ACTION_ACCEPT),
                        tuple(file + ":5", 19, FlowRecord.ACTION_ACCEPT),
                        tuple(file + ":6", 4, FlowRecord.ACTION_REJECT));
        assertThat(read.records())
                .extracting(r -> render(r, EXAMPLE_C_FORMAT))
                .containsExactlyElementsOf(Files.readAllLines(file, StandardCharsets.US_ASCII));
    }

    // ------------------------------------------------------------ D: ECS and reject-reason

    @Test
    void exampleD_version8RecordsWithEcsFieldsAreReadByTheirHeader() throws IOException {
        Path file = fixture("example-d-ecs-reject-reason-v8.log");
        FlowLogFormat header = FlowLogFormat.parse(Files.readAllLines(file).get(0));

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(r -> render(r, header))
                .containsExactlyElementsOf(linesAfterHeader(file));
    }

    @Test
    void exampleD_fargateTaskEgressNamesClusterServiceAndTask() throws IOException {
        FlowRecord egress = readAll(fixture("example-d-ecs-reject-reason-v8.log")).records().get(0);

        assertThat(egress.version).isEqualTo(8);
        assertThat(egress.flowDirection).isEqualTo(FlowRecord.DIRECTION_EGRESS);
        assertThat(egress.ecsClusterName).isEqualTo("prod-cluster");
        assertThat(egress.ecsServiceName).isEqualTo("orders-svc");
        assertThat(egress.ecsTaskId).isEqualTo("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
        assertThat(egress.ecsContainerInstanceId).isNull(); // Fargate
        assertThat(egress.rejectReason).isNull();
        assertThat(egress.accountId).isNull(); // not in this format
    }

    @Test
    void exampleD_rejectReasonIsBpaOnlyForBlockPublicAccess() throws IOException {
        Path file = fixture("example-d-ecs-reject-reason-v8.log");

        List<FlowRecord> records = readAll(file).records();

        assertThat(records)
                .extracting(FlowRecord::location, r -> r.action, r -> r.rejectReason)
                .containsExactly(
                        tuple(file + ":2", FlowRecord.ACTION_ACCEPT, null),
                        tuple(file + ":3", FlowRecord.ACTION_ACCEPT, null),
                        tuple(file + ":4", FlowRecord.ACTION_REJECT, "BPA"),
                        tuple(file + ":5", FlowRecord.ACTION_REJECT, null),
                        tuple(file + ":6", FlowRecord.ACTION_ABSENT, null));
    }

    @Test
    void exampleD_nodataWithEveryFlowAndEcsFieldDashIsAllAbsent() throws IOException {
        FlowRecord nodata = readAll(fixture("example-d-ecs-reject-reason-v8.log")).records().get(4);

        assertThat(nodata.version).isEqualTo(8);
        assertThat(nodata.interfaceId).isEqualTo("eni-01829304a5b6c7d8e");
        assertThat(nodata.logStatus).isEqualTo(FlowRecord.STATUS_NODATA);
        assertThat(nodata.start).isEqualTo(1718030000L);
        assertThat(nodata.end).isEqualTo(1718030060L);
        assertThat(nodata.srcFamily).isEqualTo(IpAddresses.NONE);
        assertThat(nodata.dstFamily).isEqualTo(IpAddresses.NONE);
        assertThat(nodata.srcPort).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(nodata.dstPort).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(nodata.protocol).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(nodata.packets).isEqualTo(FlowRecord.ABSENT);
        assertThat(nodata.bytes).isEqualTo(FlowRecord.ABSENT);
        assertThat(nodata.action).isEqualTo(FlowRecord.ACTION_ABSENT);
        assertThat(nodata.flowDirection).isEqualTo(FlowRecord.DIRECTION_UNKNOWN);
        assertThat(nodata.ecsClusterName).isNull();
        assertThat(nodata.ecsServiceName).isNull();
        assertThat(nodata.ecsTaskId).isNull();
        assertThat(nodata.ecsContainerInstanceId).isNull();
        assertThat(nodata.rejectReason).isNull();
    }

    // ------------------------------------------------------------ E: no version, no start

    /**
     * Example E's format has neither {@code start} nor {@code log-status}: its records are traffic
     * without an event time. Flowtrail windows on {@code start} and never invents a time, so each
     * one becomes a dead letter; the fields themselves are fine (see {@link FlowLineParserTest}).
     */
    @Test
    void exampleE_recordsWithoutAStartFieldBecomeDeadLettersNamingTheirLines() throws IOException {
        Path file = fixture("example-e-encryption-status.log");

        Read read = readAll(file);

        assertThat(read.records()).isEmpty();
        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason, d -> d.raw)
                .containsExactly(
                        tuple(file + ":2", NO_START, "ingress - 10.0.133.8 10.0.128.55 43236 80 1"),
                        tuple(file + ":3", NO_START, "egress 1 10.0.128.55 10.0.133.8 80 43236 1"),
                        tuple(
                                file + ":4",
                                NO_START,
                                "ingress - 10.0.130.104 10.0.128.55 55016 80 0"),
                        tuple(
                                file + ":5",
                                NO_START,
                                "egress 2 10.0.128.55 52.216.10.4 40012 443 2"),
                        tuple(
                                file + ":6",
                                NO_START,
                                "egress 1 10.0.128.55 10.0.140.9 51000 443 3"));
        assertThat(read.deadLetters()).extracting(d -> d.source).containsOnly("flow-log");
        assertThat(read.warnings()).isEmpty();
    }

    private static final String NO_START = "no start time: the record cannot be placed in a window";

    // ------------------------------------------------------------ G: Firehose, no header

    @Test
    void exampleG_firehosePlainTextWithoutHeaderIsReadInTheDefaultFormatFromLineOne()
            throws IOException {
        Path file = fixture("example-g-firehose-plain.log");

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.logStatus)
                .containsExactly(
                        tuple(file + ":1", FlowRecord.STATUS_OK),
                        tuple(file + ":2", FlowRecord.STATUS_OK),
                        tuple(file + ":3", FlowRecord.STATUS_OK),
                        tuple(file + ":4", FlowRecord.STATUS_NODATA),
                        tuple(file + ":5", FlowRecord.STATUS_SKIPDATA));
        assertThat(read.records())
                .extracting(r -> render(r, FlowLogFormat.DEFAULT))
                .containsExactlyElementsOf(Files.readAllLines(file, StandardCharsets.US_ASCII));
    }
}
