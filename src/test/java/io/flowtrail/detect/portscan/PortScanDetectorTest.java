package io.flowtrail.detect.portscan;

import static io.flowtrail.detect.TestFlows.T0;
import static io.flowtrail.detect.TestFlows.WINDOW;
import static io.flowtrail.detect.TestFlows.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.Alert;
import io.flowtrail.model.FlowRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortScanDetectorTest {
    static final String SCANNER = "203.0.113.66";
    static final String BASTION = "10.20.0.30";

    PortScanParams params;
    KeyedOneInputStreamOperatorTestHarness<Tuple3<Long, Long, Byte>, Probe, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        params = new PortScanParams();
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new PortScanDetector(
                                params, Duration.ofMillis(WINDOW), Duration.ofMinutes(30)),
                        Probe::source,
                        Probe.SOURCE_TYPE);
    }

    /** Feeds what the pipeline would: probes only. */
    void feed(List<FlowRecord> records) throws Exception {
        for (FlowRecord r : records) {
            Probe p = Probe.of(r, params);
            if (p != null) {
                harness.processElement(p, p.startMillis);
            }
        }
    }

    void watermark(long epochMillis) throws Exception {
        harness.processWatermark(epochMillis);
    }

    static List<FlowRecord> verticalScan(int ports) {
        List<FlowRecord> out = new ArrayList<>();
        for (int i = 0; i < ports; i++) {
            out.add(
                    flow().from(SCANNER)
                            .to(BASTION, 1000 + i)
                            .at(T0.plusSeconds(i % 280))
                            .flags(2)
                            .ingress()
                            .rejected());
        }
        return out;
    }

    @Test
    void firesOnAVerticalScan() throws Exception {
        feed(verticalScan(40));
        watermark(T0.toEpochMilli() + WINDOW);
        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.detector).isEqualTo(PortScanDetector.VERTICAL);
        assertThat(a.srcAddr).isEqualTo(SCANNER);
        assertThat(a.dstAddr).isEqualTo(BASTION);
        assertThat(a.observed).isEqualTo(40);
        assertThat(a.expected).isEqualTo(25);
        assertThat(a.windowStart).isEqualTo(T0.toEpochMilli());
        assertThat(a.evidence)
                .contains("\"mitre_attack\":\"T1046\"")
                .contains("\"distinct_ports\":40");
    }

    @Test
    void firesOnAHorizontalScan() throws Exception {
        List<FlowRecord> sweep = new ArrayList<>();
        for (int h = 1; h <= 12; h++) {
            sweep.add(
                    flow().from(SCANNER)
                            .to("10.20.10." + h, 22)
                            .at(T0.plusSeconds(h * 10))
                            .flags(2)
                            .rejected());
        }
        feed(sweep);
        watermark(T0.toEpochMilli() + WINDOW);
        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).extracting(a -> a.detector).containsExactly(PortScanDetector.HORIZONTAL);
        assertThat(alerts.get(0).dstPort).isEqualTo(22);
        assertThat(alerts.get(0).observed).isEqualTo(12);
    }

    @Test
    void staysQuietOnTheInternetsBackgroundProbes() throws Exception {
        List<FlowRecord> background = new ArrayList<>();
        int[] ports = {22, 23, 3389, 445, 8080};
        for (int s = 0; s < 20; s++) {
            for (int p = 0; p < 3; p++) {
                background.add(
                        flow().from("198.51.100." + (s + 1))
                                .to(BASTION, ports[(s + p) % 5])
                                .at(T0.plusSeconds(s))
                                .rejected());
            }
        }
        feed(background);
        watermark(T0.toEpochMilli() + 12 * WINDOW);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void loadBalancerFanOutAndBackupsAreNotProbes() {
        // An ALB node talking to its 20 backends, and a backup host to 50 S3 addresses: data moves.
        for (int h = 1; h <= 20; h++) {
            assertThat(
                            PortScanDetector.isProbe(
                                    flow().from("10.20.0.20")
                                            .to("10.20.10." + h, 8080)
                                            .packets(40, 30_000)
                                            .flags(19)
                                            .accepted(),
                                    params))
                    .isFalse();
        }
        for (int h = 1; h <= 50; h++) {
            assertThat(
                            PortScanDetector.isProbe(
                                    flow().from("10.20.20.50")
                                            .to("52.95.128." + h, 443)
                                            .packets(900, 1_200_000)
                                            .accepted(),
                                    params))
                    .isFalse();
        }
    }

    @Test
    void resolversAndResponsesAreNotProbes() {
        assertThat(
                        PortScanDetector.isProbe(
                                flow().from("10.20.21.53").to("192.0.2.53", 53).udp().rejected(),
                                params))
                .isFalse();
        // The bastion answering an SSH client: service port to an ephemeral one.
        assertThat(
                        PortScanDetector.isProbe(
                                flow().from(BASTION, 22)
                                        .to("198.51.100.10", 51000)
                                        .packets(2, 120)
                                        .accepted(),
                                params))
                .isFalse();
        assertThat(
                        PortScanDetector.isProbe(
                                flow().from("10.20.10.11")
                                        .to("10.20.20.10", 5432)
                                        .response()
                                        .rejected(),
                                params))
                .isFalse();
        // An accepted UDP datagram cannot be told from a real query.
        assertThat(
                        PortScanDetector.isProbe(
                                flow().from(SCANNER).to(BASTION, 161).udp().accepted(), params))
                .isFalse();
    }

    @Test
    void acceptedHandshakesCountAsProbes() {
        assertThat(
                        PortScanDetector.isProbe(
                                flow().from(SCANNER)
                                        .to(BASTION, 22)
                                        .packets(2, 120)
                                        .flags(2)
                                        .accepted(),
                                params))
                .isTrue();
        assertThat(
                        PortScanDetector.isProbe(
                                flow().from(SCANNER)
                                        .to(BASTION, 22)
                                        .packets(2, 120)
                                        .flags(18)
                                        .accepted(),
                                params))
                .isFalse();
    }

    @Test
    void allowListedScannersAreIgnored() {
        params.allowSources = List.of("203.0.113.0/24");
        assertThat(
                        PortScanDetector.isProbe(
                                flow().from(SCANNER).to(BASTION, 22).rejected(), params))
                .isFalse();
    }

    @Test
    void countsIpv6ScansToo() throws Exception {
        List<FlowRecord> scan = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            scan.add(
                    flow().from("2001:db8:bad::66")
                            .to("2001:db8:20::30", 2000 + i)
                            .at(T0.plusSeconds(i))
                            .rejected());
        }
        feed(scan);
        watermark(T0.toEpochMilli() + WINDOW);
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.srcAddr + " " + a.dstAddr)
                .containsExactly("2001:db8:bad::66 2001:db8:20::30");
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesTheSameAlerts() throws Exception {
        List<FlowRecord> scan = verticalScan(60);
        feed(scan);
        watermark(T0.toEpochMilli() + WINDOW);
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        List<FlowRecord> shuffled = new ArrayList<>(verticalScan(60));
        Collections.shuffle(shuffled, new Random(7));
        feed(shuffled);
        watermark(T0.toEpochMilli() + WINDOW);
        assertThat(harness.extractOutputValues())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(inOrder);
    }

    @Test
    void anOngoingScanIsOneAlertUntilTheSuppressionEnds() throws Exception {
        for (int w = 0; w < 8; w++) {
            List<FlowRecord> scan = verticalScan(30);
            for (FlowRecord r : scan) {
                r.start += w * WINDOW / 1000;
                r.end = r.start + 1;
            }
            feed(scan);
        }
        watermark(T0.toEpochMilli() + 8 * WINDOW);
        // Windows 0..7 all scan; 30 minutes of suppression: alerts at windows 0 and 6.
        assertThat(harness.extractOutputValues())
                .extracting(a -> (a.windowStart - T0.toEpochMilli()) / WINDOW)
                .containsExactly(0L, 6L);
    }

    @Test
    void stateAndTimersAreGoneAfterward() throws Exception {
        feed(verticalScan(40));
        watermark(T0.toEpochMilli() + WINDOW);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isPositive(); // the suppression mark
        watermark(T0.toEpochMilli() + Duration.ofMinutes(30).toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void lateProbesForAnEvaluatedWindowAreNotCounted() throws Exception {
        watermark(T0.toEpochMilli() + WINDOW);
        feed(verticalScan(40));
        watermark(T0.toEpochMilli() + 2 * WINDOW);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
