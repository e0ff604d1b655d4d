package io.flowtrail.detect.egress;

import static io.flowtrail.detect.TestFlows.T0;
import static io.flowtrail.detect.TestFlows.WINDOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.detect.TestFlows;
import io.flowtrail.model.Alert;
import io.flowtrail.model.FlowRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EgressDetectorTest {
    static final String BATCH = "eni-0c4b11609cef605c9";
    static final long MB = 1_000_000L;

    EgressParams params;
    KeyedOneInputStreamOperatorTestHarness<String, EgressPartial, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        params = new EgressParams();
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new EgressDetector(
                                params,
                                Duration.ofMillis(WINDOW),
                                Duration.ofDays(7),
                                Duration.ofMinutes(30)),
                        p -> p.interfaceId,
                        Types.STRING);
    }

    /** Feeds what the pipeline would: one reading task's partial windows of the records. */
    void feed(List<FlowRecord> records) throws Exception {
        for (EgressPartial p : partials(records)) {
            harness.processElement(p, p.windowStart);
        }
    }

    /** The partials one reading task emits for these records (at the end of its input). */
    List<EgressPartial> partials(List<FlowRecord> records) throws Exception {
        return TestFlows.preAggregate(
                new EgressCombiner(params, WINDOW, 60_000L, 100_000), records);
    }

    static Instant window(int w) {
        return T0.plusMillis(w * WINDOW);
    }

    static FlowRecord upload(int w, String to, long bytes) {
        return TestFlows.flow()
                .from("10.20.11.40")
                .to(to, 443)
                .on(BATCH)
                .in("vpc-0f1a2b3c4d5e6f701", "subnet-08c656018eee38dc1")
                .egress()
                .at(window(w).plusSeconds(10))
                .packets(Math.max(1, bytes / 1400), bytes)
                .peer(io.flowtrail.model.FlowRecord.PEER_INTERNET)
                .accepted();
    }

    /** An hour of ordinary egress: package mirrors and APIs, small. */
    static List<FlowRecord> ordinary(int windows) {
        List<FlowRecord> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            out.add(upload(w, "151.101.1." + (w % 4), 2 * MB));
            out.add(upload(w, "52.94.0.92", MB / 2));
        }
        return out;
    }

    @Test
    void aLargeUploadToANewDestinationAfterWarmUpFires() throws Exception {
        List<FlowRecord> flows = ordinary(10);
        flows.add(upload(10, "192.0.2.200", 3_000 * MB));
        feed(flows);
        harness.processWatermark(window(11).toEpochMilli());
        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.detector)
                .containsExactlyInAnyOrder(EgressDetector.NEW_DESTINATION, EgressDetector.VOLUME);
        Alert fresh =
                alerts.stream()
                        .filter(a -> a.detector.equals(EgressDetector.NEW_DESTINATION))
                        .findFirst()
                        .orElseThrow();
        assertThat(fresh.dstAddr).isEqualTo("192.0.2.200");
        assertThat(fresh.dstPort).isEqualTo(443);
        assertThat(fresh.observed).isEqualTo(3_000 * MB);
        assertThat(fresh.windowStart).isEqualTo(window(10).toEpochMilli());
        assertThat(fresh.evidence).contains("\"mitre_attack\":\"T1048\"");
    }

    @Test
    void partialsOfTwoReadingTasksGiveTheAlertsOfOne() throws Exception {
        List<FlowRecord> flows = ordinary(10);
        flows.add(upload(10, "192.0.2.200", 3_000 * MB));
        flows.add(upload(10, "192.0.2.201", 1_000 * MB));
        flows.add(upload(10, "198.51.100.7", 200 * MB));
        feed(flows);
        harness.processWatermark(window(11).toEpochMilli());
        List<Alert> oneTask = harness.extractOutputValues();

        open();
        List<EgressPartial> partials = new ArrayList<>();
        for (List<FlowRecord> task : TestFlows.dealtToTwoTasks(flows)) {
            partials.addAll(partials(task));
        }
        assertThat(partials).hasSizeGreaterThan(partials(flows).size());
        for (EgressPartial p : partials) {
            harness.processElement(p, p.windowStart);
        }
        harness.processWatermark(window(11).toEpochMilli());
        assertThat(oneTask).hasSize(2);
        assertThat(harness.extractOutputValues())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(oneTask);
    }

    @Test
    void newDestinationsDuringWarmUpAreLearntNotAlerted() throws Exception {
        List<FlowRecord> flows = new ArrayList<>();
        flows.add(upload(0, "192.0.2.200", 500 * MB));
        flows.addAll(ordinary(10));
        flows.add(upload(9, "192.0.2.201", 500 * MB)); // same /24: not new
        feed(flows);
        harness.processWatermark(window(11).toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.detector)
                .doesNotContain(EgressDetector.NEW_DESTINATION);
    }

    @Test
    void smallTrafficToNewDestinationsIsQuiet() throws Exception {
        List<FlowRecord> flows = ordinary(10);
        for (int i = 0; i < 30; i++) {
            flows.add(upload(10, "198.51.100." + i, 3 * MB)); // a browser's worth of new CDNs
        }
        feed(flows);
        harness.processWatermark(window(11).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void backupsToS3ThroughTheEndpointAndResponsesAreNotEgress() {
        assertThat(
                        EgressEvent.of(
                                TestFlows.flow()
                                        .from("10.20.20.50")
                                        .to("52.95.128.7", 443)
                                        .egress()
                                        .packets(10_000, 900 * MB)
                                        .peer(FlowRecord.PEER_AWS_SERVICE)
                                        .accepted()))
                .isNull();
        assertThat(
                        EgressEvent.of(
                                TestFlows.flow()
                                        .from("10.20.0.30", 22)
                                        .to("198.51.100.10", 51000)
                                        .egress()
                                        .packets(100, 50_000)
                                        .accepted()))
                .isNull();
        assertThat(
                        EgressEvent.of(
                                TestFlows.flow()
                                        .from("10.20.1.10")
                                        .to("192.0.2.200", 443)
                                        .egress()
                                        .managedInterface()
                                        .packets(100, 3_000 * MB)
                                        .accepted()))
                .isNull();
        assertThat(
                        EgressEvent.of(
                                TestFlows.flow()
                                        .from("10.20.11.40")
                                        .to("10.20.20.10", 5432)
                                        .egress()
                                        .accepted()))
                .isNull();
    }

    @Test
    void natdBrowsingThePolicyAllowsIsQuietAndTheRestViolatesIt() throws Exception {
        EgressParams.Policy p = new EgressParams.Policy();
        p.scope = "subnet-08c656018eee38dc1";
        p.allowPorts = List.of(443);
        params.policies = List.of(p);
        List<FlowRecord> flows = ordinary(3);
        FlowRecord ssh = upload(2, "198.51.100.99", 10 * MB);
        ssh.dstPort = 22;
        flows.add(ssh);
        feed(flows);
        harness.processWatermark(window(3).toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.detector + " " + a.dstAddr + ":" + a.dstPort)
                .containsExactly(EgressDetector.POLICY + " 198.51.100.99:22");
    }

    @Test
    void s3TrafficBypassingTheSubnetsGatewayEndpointFires() throws Exception {
        FlowRecord viaNat =
                TestFlows.flow()
                        .from("10.20.20.50")
                        .to("52.95.128.7", 443)
                        .on("eni-backup")
                        .egress()
                        .packets(1000, 400 * MB)
                        .peer(FlowRecord.PEER_AWS_SERVICE)
                        .accepted();
        viaNat.pktDstAwsService = "S3";
        viaNat.bypassedEndpoint = "vpce-0s3";
        FlowRecord throughTheEndpoint =
                TestFlows.flow()
                        .from("10.20.20.50")
                        .to("52.95.128.8", 443)
                        .on("eni-backup")
                        .egress()
                        .packets(1000, 400 * MB)
                        .peer(FlowRecord.PEER_AWS_SERVICE)
                        .accepted();
        throughTheEndpoint.pktDstAwsService = "S3";
        assertThat(EgressEvent.of(throughTheEndpoint)).isNull();
        feed(List.of(viaNat, throughTheEndpoint));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.detector + " " + a.interfaceId + " " + (long) a.observed)
                .containsExactly(EgressDetector.BYPASS + " eni-backup " + 400 * MB);
    }

    @Test
    void internetEgressFromASubnetWithoutARouteFiresUnlessThePolicyAllowsIt() throws Exception {
        FlowRecord attempt = upload(0, "198.51.100.77", 2 * MB);
        attempt.noInternetRoute = true;
        feed(List.of(attempt));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.detector + " " + a.dstAddr + ":" + a.dstPort)
                .containsExactly(EgressDetector.NO_ROUTE + " 198.51.100.77:443");

        open();
        EgressParams.Policy p = new EgressParams.Policy();
        p.scope = "subnet-08c656018eee38dc1";
        p.allowCidrs = List.of("198.51.100.0/24");
        params.policies = List.of(p);
        FlowRecord allowed = upload(0, "198.51.100.77", 2 * MB);
        allowed.noInternetRoute = true;
        feed(List.of(allowed));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesTheSameAlerts() throws Exception {
        List<FlowRecord> flows = ordinary(10);
        flows.add(upload(10, "192.0.2.200", 3_000 * MB));
        flows.add(upload(10, "192.0.2.77", 200 * MB));
        feed(flows);
        harness.processWatermark(window(11).toEpochMilli());
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        List<FlowRecord> shuffled = ordinary(10);
        shuffled.add(upload(10, "192.0.2.77", 200 * MB));
        shuffled.add(upload(10, "192.0.2.200", 3_000 * MB));
        Collections.shuffle(shuffled.subList(18, 22), new Random(1));
        feed(shuffled);
        harness.processWatermark(window(11).toEpochMilli());
        assertThat(inOrder).isNotEmpty();
        assertThat(harness.extractOutputValues())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(inOrder);
    }

    @Test
    void stateAndTimersAreGoneAfterRememberFor() throws Exception {
        feed(ordinary(3));
        harness.processWatermark(window(3).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(window(2).plus(Duration.ofDays(7)).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
