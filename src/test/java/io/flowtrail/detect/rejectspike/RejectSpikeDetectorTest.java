package io.flowtrail.detect.rejectspike;

import static io.flowtrail.detect.TestFlows.T0;
import static io.flowtrail.detect.TestFlows.WINDOW;
import static io.flowtrail.detect.TestFlows.flow;
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

class RejectSpikeDetectorTest {
    static final String DB = "eni-030a037efd7376ab4";
    static final String SUBNET = "subnet-0b2609a0bdd2b7550";

    RejectSpikeParams params;
    KeyedOneInputStreamOperatorTestHarness<String, SpikePartial, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        params = new RejectSpikeParams();
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new RejectSpikeDetector(
                                params,
                                Duration.ofMillis(WINDOW),
                                Duration.ofMinutes(30),
                                Duration.ofHours(24),
                                Duration.ofMinutes(15)),
                        p -> p.key,
                        Types.STRING);
    }

    /**
     * Feeds what the pipeline would: the partial windows of the rejected flows, made by one reading
     * task's pre-aggregation.
     */
    void feed(List<FlowRecord> records) throws Exception {
        for (SpikePartial p : partials(records)) {
            harness.processElement(p, p.windowStart);
        }
    }

    /** The partials one reading task emits for these records (at the end of its input). */
    static List<SpikePartial> partials(List<FlowRecord> records) throws Exception {
        return TestFlows.preAggregate(new RejectSpikeCombiner(WINDOW, 60_000L, 100_000), records);
    }

    static Instant window(int w) {
        return T0.plusMillis(w * WINDOW);
    }

    /**
     * {@code n} rejected connection attempts to db-a's PostgreSQL from {@code sources} app hosts.
     */
    static List<FlowRecord> rejects(int w, int n, int sources) {
        List<FlowRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(
                    flow().from("10.20.11." + (11 + i % sources), 40000 + i)
                            .to("10.20.20.10", 5432)
                            .on(DB)
                            .in("vpc-0f1a2b3c4d5e6f701", SUBNET)
                            .at(window(w).plusSeconds(i % 290))
                            .attributedTo("nacl:acl-06cc6be1805fdf179#90")
                            .rejected());
        }
        return out;
    }

    List<Alert> alertsOf(String key) {
        return harness.extractOutputValues().stream()
                .filter(a -> a.alertId != null && a.title.contains(key))
                .toList();
    }

    @Test
    void firesWhenRejectsJumpFarAboveTheInterfacesBaseline() throws Exception {
        for (int w = 0; w < 10; w++) {
            feed(rejects(w, 3, 1)); // a steady trickle
        }
        feed(rejects(10, 120, 3));
        harness.processWatermark(window(11).toEpochMilli());
        List<Alert> alerts = alertsOf(DB);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.windowStart).isEqualTo(window(10).toEpochMilli());
        assertThat(a.observed).isEqualTo(120);
        assertThat(a.expected).isEqualTo(3.0);
        assertThat(a.interfaceId).isEqualTo(DB);
        assertThat(a.evidence)
                .contains(
                        "\"attribution\":[{\"value\":\"nacl:acl-06cc6be1805fdf179#90\",\"count\":120}]")
                .contains("\"top_ports\":[{\"value\":\"tcp/5432\",\"count\":120}]")
                .contains("\"cold_start\":false");
    }

    @Test
    void aRiseThatStaysUnderTheFloorIsQuiet() throws Exception {
        for (int w = 0; w < 10; w++) {
            feed(rejects(w, 1, 1));
        }
        feed(rejects(10, 40, 3)); // 40x the baseline, but under the floor of 50
        harness.processWatermark(window(11).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void coldStartFiresOnlyAtTheColdStartFloor() throws Exception {
        feed(rejects(0, 99, 3));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();

        open();
        feed(rejects(0, 130, 3));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(alertsOf(DB))
                .extracting(a -> a.evidence.contains("\"cold_start\":true"))
                .containsExactly(true);
    }

    @Test
    void staysQuietOnTheInternetsBackgroundProbes() throws Exception {
        for (int w = 0; w < 12; w++) {
            List<FlowRecord> probes = new ArrayList<>();
            for (int s = 0; s < 6; s++) {
                probes.add(
                        flow().from("198.51.100." + (w * 6 + s))
                                .to("10.20.0.20", 22)
                                .on("eni-alb")
                                .at(window(w).plusSeconds(s))
                                .rejected());
            }
            feed(probes);
        }
        harness.processWatermark(window(13).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aPortScanIsLeftToThePortScanDetector() throws Exception {
        List<FlowRecord> scan = new ArrayList<>();
        for (int p = 0; p < 200; p++) {
            scan.add(
                    flow().from("203.0.113.66")
                            .to("10.20.0.30", 1000 + p)
                            .on("eni-bastion")
                            .at(window(0).plusSeconds(p))
                            .rejected());
        }
        feed(scan);
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aSubnetAlertNeedsTheSpikeSpreadOverItsInterfaces() throws Exception {
        // One interface holds all of it: the interface alert covers it, not the subnet.
        feed(rejects(0, 300, 3));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.interfaceId)
                .containsExactly(DB);

        open();
        List<FlowRecord> spread = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            for (FlowRecord r : rejects(w, 4, 1)) {
                r.interfaceId = "eni-db-" + (w % 4);
                spread.add(r); // a warm subnet history of a few rejects a window
            }
        }
        for (int i = 0; i < 4; i++) {
            for (FlowRecord r : rejects(8, 40, 3)) {
                r.interfaceId = "eni-db-" + i;
                spread.add(r);
            }
        }
        feed(spread); // 4 x 40: each interface under its floor of 50, the subnet at 160
        harness.processWatermark(window(9).toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.title)
                .singleElement()
                .asString()
                .contains("subnet " + SUBNET);
    }

    @Test
    void aSubnetWithoutHistoryDoesNotFireOnItsInterfacesBackground() throws Exception {
        List<FlowRecord> background = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (FlowRecord r : rejects(0, 40, 3)) {
                r.interfaceId = "eni-web-" + i;
                background.add(r); // 20 interfaces x 40: 800 rejects in the subnet's first window
            }
        }
        feed(background);
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    /** Eight quiet windows of two rejects each, then a spike of 200 in window 8. */
    static List<FlowRecord> quietThenSpike() {
        List<FlowRecord> all = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            all.addAll(rejects(w, 2, 1));
        }
        all.addAll(rejects(8, 200, 3));
        return all;
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesTheSameAlerts() throws Exception {
        feed(quietThenSpike());
        harness.processWatermark(window(9).toEpochMilli());
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        List<FlowRecord> shuffled = quietThenSpike();
        Collections.shuffle(shuffled, new Random(3));
        feed(shuffled);
        harness.processWatermark(window(9).toEpochMilli());
        assertThat(inOrder).isNotEmpty();
        assertThat(harness.extractOutputValues())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(inOrder);
    }

    @Test
    void partialsOfTwoReadingTasksGiveTheAlertOfOne() throws Exception {
        List<FlowRecord> all = quietThenSpike();
        feed(all);
        harness.processWatermark(window(9).toEpochMilli());
        List<Alert> oneTask = harness.extractOutputValues();

        open();
        List<SpikePartial> partials = new ArrayList<>();
        for (List<FlowRecord> task : TestFlows.dealtToTwoTasks(all)) {
            partials.addAll(partials(task));
        }
        assertThat(partials).hasSizeGreaterThan(partials(all).size());
        for (SpikePartial p : partials) {
            harness.processElement(p, p.windowStart);
        }
        harness.processWatermark(window(9).toEpochMilli());
        assertThat(oneTask).isNotEmpty();
        assertThat(harness.extractOutputValues())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(oneTask);
    }

    @Test
    void anOngoingSpikeIsOneAlert() throws Exception {
        for (int w = 0; w < 3; w++) {
            feed(rejects(w, 130, 3));
        }
        harness.processWatermark(window(3).toEpochMilli());
        assertThat(alertsOf(DB)).hasSize(1);
    }

    @Test
    void theSuppressionSurvivesASnapshotAndRestore() throws Exception {
        feed(rejects(0, 130, 3));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(alertsOf(DB)).hasSize(1);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                                new RejectSpikeDetector(
                                        params,
                                        Duration.ofMillis(WINDOW),
                                        Duration.ofMinutes(30),
                                        Duration.ofHours(24),
                                        Duration.ofMinutes(15))),
                        p -> p.key,
                        Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        feed(rejects(1, 130, 3));
        feed(rejects(2, 130, 3));
        harness.processWatermark(window(3).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void openWindowsAndTheirTimersSurviveASnapshotAndRestore() throws Exception {
        feed(rejects(0, 130, 3));
        feed(rejects(1, 130, 3));
        harness.processWatermark(window(0).toEpochMilli());
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness = restored();
        harness.initializeState(snapshot);
        harness.open();
        feed(rejects(2, 130, 3));
        harness.processWatermark(window(3).toEpochMilli());
        assertThat(harness.extractOutputValues())
                .extracting(a -> (a.windowStart - window(0).toEpochMilli()) / WINDOW)
                .containsExactly(0L);
    }

    KeyedOneInputStreamOperatorTestHarness<String, SpikePartial, Alert> restored()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                        new RejectSpikeDetector(
                                params,
                                Duration.ofMillis(WINDOW),
                                Duration.ofMinutes(30),
                                Duration.ofHours(24),
                                Duration.ofMinutes(15))),
                p -> p.key,
                Types.STRING);
    }

    @Test
    void stateAndTimersAreGoneAfterForgetAfter() throws Exception {
        feed(rejects(0, 130, 3));
        harness.processWatermark(window(1).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(window(0).plus(Duration.ofHours(24)).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
