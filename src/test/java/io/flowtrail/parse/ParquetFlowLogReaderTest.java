package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.dst;
import static io.flowtrail.parse.FlowLogFiles.readAll;
import static io.flowtrail.parse.FlowLogFiles.src;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.parse.FlowLogFiles.Read;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow logs delivered to S3 as Parquet (FORMATS.md §1.8): columns named with underscores, INT32,
 * INT64 and strings, gzip inside, and nulls where text would have {@code -}. The files are written
 * here with parquet's example writer and opened by content through {@link FlowLogReaders}.
 *
 * <p>{@code ParquetFileReader.open} needs Hadoop's {@code FileInputFormat}
 * (hadoop-mapreduce-client-core in pom.xml); without it every Parquet flow log fails with {@code
 * NoClassDefFoundError}, which these tests would catch.
 */
class ParquetFlowLogReaderTest {
    /** The version-5 columns of example B that matter here, typed as in AWS's Parquet files. */
    private static final MessageType SCHEMA =
            MessageTypeParser.parseMessageType(
                    "message flow_logs {\n"
                            + "  optional int32 version;\n"
                            + "  optional binary account_id (STRING);\n"
                            + "  optional binary interface_id (STRING);\n"
                            + "  optional binary srcaddr (STRING);\n"
                            + "  optional binary dstaddr (STRING);\n"
                            + "  optional int32 srcport;\n"
                            + "  optional int32 dstport;\n"
                            + "  optional int32 protocol;\n"
                            + "  optional int64 packets;\n"
                            + "  optional int64 bytes;\n"
                            + "  optional int64 start;\n"
                            + "  optional int64 end;\n"
                            + "  optional binary action (STRING);\n"
                            + "  optional binary log_status (STRING);\n"
                            + "  optional int32 tcp_flags;\n"
                            + "  optional binary pkt_dst_aws_service (STRING);\n"
                            + "  optional binary flow_direction (STRING);\n"
                            + "  optional int32 traffic_path;\n"
                            + "}");

    @TempDir Path dir;

    private final SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);

    /** Example B, line 2: egress to S3 through an internet gateway. */
    private Group egressToS3() {
        return rows.newGroup()
                .append("version", 5)
                .append("account_id", "111122223333")
                .append("interface_id", "eni-0a1b2c3d4e5f60718")
                .append("srcaddr", "10.0.1.15")
                .append("dstaddr", "52.95.128.179")
                .append("srcport", 34210)
                .append("dstport", 443)
                .append("protocol", 6)
                .append("packets", 7L)
                .append("bytes", 471L)
                .append("start", 1718028100L)
                .append("end", 1718028157L)
                .append("action", "ACCEPT")
                .append("log_status", "OK")
                .append("tcp_flags", 3)
                .append("pkt_dst_aws_service", "S3")
                .append("flow_direction", "egress")
                .append("traffic_path", 8);
    }

    /** Example B, line 3: the reply; traffic_path and pkt_dst_aws_service are null. */
    private Group ingressFromS3() {
        return rows.newGroup()
                .append("version", 5)
                .append("account_id", "111122223333")
                .append("interface_id", "eni-0a1b2c3d4e5f60718")
                .append("srcaddr", "52.95.128.179")
                .append("dstaddr", "10.0.1.15")
                .append("srcport", 443)
                .append("dstport", 34210)
                .append("protocol", 6)
                .append("packets", 14L)
                .append("bytes", 15044L)
                .append("start", 1718028100L)
                .append("end", 1718028157L)
                .append("action", "ACCEPT")
                .append("log_status", "OK")
                .append("tcp_flags", 19)
                .append("flow_direction", "ingress");
    }

    /** A NODATA record: every flow column null. */
    private Group nodata() {
        return rows.newGroup()
                .append("version", 5)
                .append("account_id", "111122223333")
                .append("interface_id", "eni-0b2c3d4e5f6071829")
                .append("start", 1718028000L)
                .append("end", 1718028060L)
                .append("log_status", "NODATA");
    }

    private Path write(String name, Group... groups) throws IOException {
        return write(name, SCHEMA, groups);
    }

    private Path write(String name, MessageType schema, Group... groups) throws IOException {
        Path file = dir.resolve(name);
        try (ParquetWriter<Group> writer =
                ExampleParquetWriter.builder(new LocalOutputFile(file))
                        .withType(schema)
                        .withCompressionCodec(CompressionCodecName.GZIP)
                        .build()) {
            for (Group g : groups) {
                writer.write(g);
            }
        }
        return file;
    }

    @Test
    void typedColumnsFillTheRecordAndRowsAreNamedByNumber() throws IOException {
        Path file = write("flows.log.parquet", egressToS3(), ingressFromS3());

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.warnings()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(file + ":row 1", file + ":row 2");
        FlowRecord egress = read.records().get(0);
        assertThat(egress.version).isEqualTo(5);
        assertThat(egress.accountId).isEqualTo("111122223333");
        assertThat(egress.interfaceId).isEqualTo("eni-0a1b2c3d4e5f60718");
        assertThat(egress.srcFamily).isEqualTo(IpAddresses.V4);
        assertThat(egress.srcLo).isEqualTo(0x0A00010FL); // 10.0.1.15
        assertThat(dst(egress)).isEqualTo("52.95.128.179");
        assertThat(egress.srcPort).isEqualTo(34210);
        assertThat(egress.dstPort).isEqualTo(443);
        assertThat(egress.protocol).isEqualTo(6);
        assertThat(egress.packets).isEqualTo(7L);
        assertThat(egress.bytes).isEqualTo(471L);
        assertThat(egress.start).isEqualTo(1718028100L);
        assertThat(egress.end).isEqualTo(1718028157L);
        assertThat(egress.action).isEqualTo(FlowRecord.ACTION_ACCEPT);
        assertThat(egress.logStatus).isEqualTo(FlowRecord.STATUS_OK);
        assertThat(egress.tcpFlags).isEqualTo(3);
        assertThat(egress.pktDstAwsService).isEqualTo("S3");
        assertThat(egress.flowDirection).isEqualTo(FlowRecord.DIRECTION_EGRESS);
        assertThat(egress.trafficPath).isEqualTo(8);
    }

    @Test
    void aNullColumnValueIsAbsent() throws IOException {
        Path file = write("flows.log.parquet", ingressFromS3());

        FlowRecord ingress = readAll(file).records().get(0);

        assertThat(ingress.trafficPath).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(ingress.pktDstAwsService).isNull();
        assertThat(ingress.tcpFlags).isEqualTo(19);
        assertThat(ingress.flowDirection).isEqualTo(FlowRecord.DIRECTION_INGRESS);
    }

    @Test
    void aNodataRowWithNullFlowColumnsHasNoFlow() throws IOException {
        Path file = write("flows.log.parquet", nodata());

        FlowRecord r = readAll(file).records().get(0);

        assertThat(r.logStatus).isEqualTo(FlowRecord.STATUS_NODATA);
        assertThat(r.start).isEqualTo(1718028000L);
        assertThat(r.srcFamily).isEqualTo(IpAddresses.NONE);
        assertThat(r.dstFamily).isEqualTo(IpAddresses.NONE);
        assertThat(r.srcPort).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(r.protocol).isEqualTo((int) FlowRecord.ABSENT);
        assertThat(r.packets).isEqualTo(FlowRecord.ABSENT);
        assertThat(r.bytes).isEqualTo(FlowRecord.ABSENT);
        assertThat(r.action).isEqualTo(FlowRecord.ACTION_ABSENT);
        assertThat(r.isTraffic()).isFalse();
    }

    @Test
    void aDashInAStringColumnIsAbsentToo() throws IOException {
        Group dashed =
                rows.newGroup()
                        .append("version", 5)
                        .append("interface_id", "eni-0a1b2c3d4e5f60718")
                        .append("srcaddr", "-")
                        .append("start", 1718028100L)
                        .append("end", 1718028157L)
                        .append("action", "-")
                        .append("log_status", "OK")
                        .append("pkt_dst_aws_service", "-");
        Path file = write("flows.log.parquet", dashed);

        FlowRecord r = readAll(file).records().get(0);

        assertThat(r.srcFamily).isEqualTo(IpAddresses.NONE);
        assertThat(r.action).isEqualTo(FlowRecord.ACTION_ABSENT);
        assertThat(r.pktDstAwsService).isNull();
    }

    @Test
    void anIpv6AddressColumnIsParsedLikeText() throws IOException {
        Group row =
                rows.newGroup()
                        .append("version", 5)
                        .append("srcaddr", "2001:db8:1234:a102::15")
                        .append("dstaddr", "2001:db8:ffff::10")
                        .append("start", 1718028110L)
                        .append("log_status", "OK");
        Path file = write("flows.log.parquet", row);

        FlowRecord r = readAll(file).records().get(0);

        assertThat(r.srcFamily).isEqualTo(IpAddresses.V6);
        assertThat(r.srcHi).isEqualTo(0x2001_0db8_1234_a102L);
        assertThat(r.srcLo).isEqualTo(0x15L);
        assertThat(src(r)).isEqualTo("2001:db8:1234:a102::15");
        assertThat(dst(r)).isEqualTo("2001:db8:ffff::10");
    }

    @Test
    void anInvalidValueMakesItsRowADeadLetterAndTheNextRowStillReads() throws IOException {
        Group badPort =
                rows.newGroup()
                        .append("version", 5)
                        .append("srcaddr", "10.0.1.15")
                        .append("srcport", 70000)
                        .append("start", 1718028100L)
                        .append("log_status", "OK");
        Path file = write("flows.log.parquet", egressToS3(), badPort, nodata());

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason, d -> d.raw)
                .containsExactly(
                        tuple(
                                file + ":row 2",
                                "srcport: expected a port 0-65535 or -",
                                "srcport=70000"));
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(file + ":row 1", file + ":row 3");
    }

    @Test
    void aTrafficRowWithoutStartIsADeadLetter() throws IOException {
        Group noStart =
                rows.newGroup()
                        .append("version", 5)
                        .append("srcaddr", "10.0.1.15")
                        .append("log_status", "OK");
        Path file = write("flows.log.parquet", noStart);

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(
                                file + ":row 1",
                                "no start time: the record cannot be placed in a window"));
    }

    @Test
    void anEndBeforeItsStartIsADeadLetterAsInText() throws IOException {
        Group backwards =
                rows.newGroup()
                        .append("version", 5)
                        .append("start", 1718028157L)
                        .append("end", 1718028100L)
                        .append("log_status", "OK");
        Path file = write("flows.log.parquet", backwards);

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(file + ":row 1", "end 1718028100 is before start 1718028157"));
    }

    @Test
    void anUnknownColumnIsSkippedWithOneWarningAndInt64ProtocolIsAccepted() throws IOException {
        MessageType schema =
                MessageTypeParser.parseMessageType(
                        "message flow_logs {\n"
                                + "  optional int32 version;\n"
                                + "  optional int64 protocol;\n"
                                + "  optional int64 start;\n"
                                + "  optional binary log_status (STRING);\n"
                                + "  optional binary quantum_state (STRING);\n"
                                + "}");
        Group row =
                new SimpleGroupFactory(schema)
                        .newGroup()
                        .append("version", 10)
                        .append("protocol", 17L)
                        .append("start", 1718028100L)
                        .append("log_status", "OK")
                        .append("quantum_state", "entangled");
        Path file = write("flows.log.parquet", schema, row);

        Read read = readAll(file);

        assertThat(read.records()).extracting(r -> r.protocol).containsExactly(17);
        assertThat(read.warnings())
                .containsExactly(
                        file
                                + ": Parquet columns this version of Flowtrail does not know are"
                                + " skipped: quantum_state");
    }

    @Test
    void parquetIsRecognisedByContentWhateverTheFileIsCalled() throws IOException {
        Path file = write("flows.log.gz", egressToS3());

        Read read = readAll(file);

        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(file + ":row 1");
    }

    @Test
    void rowsOfSeveralRowGroupsAreAllReadAndNumberedAcrossThem() throws IOException {
        Path file = dir.resolve("many-row-groups.log.parquet");
        int rowCount = 3_000;
        try (ParquetWriter<Group> writer =
                ExampleParquetWriter.builder(new LocalOutputFile(file))
                        .withType(SCHEMA)
                        .withRowGroupSize(1024L) // tiny: many row groups
                        .withPageSize(512)
                        .build()) {
            for (int i = 0; i < rowCount; i++) {
                writer.write(egressToS3());
            }
        }

        Read read = readAll(file);

        try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(footer.getRowGroups()).hasSizeGreaterThan(1);
        }
        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records()).hasSize(rowCount);
        assertThat(read.records().get(rowCount - 1).location())
                .isEqualTo(file + ":row " + rowCount);
    }
}
