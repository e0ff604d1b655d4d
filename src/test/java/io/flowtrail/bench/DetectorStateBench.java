package io.flowtrail.bench;

import io.flowtrail.detect.TestFlows;
import io.flowtrail.detect.egress.EgressCombiner;
import io.flowtrail.detect.egress.EgressDetector;
import io.flowtrail.detect.egress.EgressParams;
import io.flowtrail.detect.egress.EgressPartial;
import io.flowtrail.detect.portscan.PortScanDetector;
import io.flowtrail.detect.portscan.PortScanParams;
import io.flowtrail.detect.portscan.Probe;
import io.flowtrail.detect.rejectspike.RejectSpikeCombiner;
import io.flowtrail.detect.rejectspike.RejectSpikeDetector;
import io.flowtrail.detect.rejectspike.RejectSpikeParams;
import io.flowtrail.detect.rejectspike.SpikePartial;
import io.flowtrail.model.Alert;
import io.flowtrail.model.FlowRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.storage.JobManagerCheckpointStorage;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Detector state per 100,000 keys: each flow detector is fed the traffic of {@code N} interfaces
 * (or scanning sources) for three windows, with the job file's defaults, and its keyed state is
 * snapshotted (heap backend, as a checkpoint writes it) while the third window is open and after
 * the watermark passed it. Prints the sizes and their share per 100k keys.
 *
 * <p>{@code bench/state.sh [N]}.
 */
public final class DetectorStateBench {
    static final long WINDOW = Duration.ofMinutes(5).toMillis();
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.println(
                "| detector | keys | state in the third window | per 100k keys | state after it |"
                        + " per 100k keys |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        rejectSpike(n);
        portScan(n);
        egress(n);
    }

    /** A harness whose checkpoints may be as large as the state is. */
    static <K, I> KeyedOneInputStreamOperatorTestHarness<K, I, Alert> harness(
            KeyedProcessFunction<K, I, Alert> fn, KeySelector<I, K> key, TypeInformation<K> keyType)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, I, Alert> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(fn), key, keyType);
        h.setCheckpointStorage(new JobManagerCheckpointStorage(Integer.MAX_VALUE));
        h.open();
        return h;
    }

    static String eni(int i) {
        return String.format("eni-%017x", 0x0a000000000L + i);
    }

    static String address(int i) {
        return "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
    }

    static OperatorSubtaskState during;

    /** Snapshots the state while the last window is open, then after the watermark passed it. */
    static void closeLastWindow(KeyedOneInputStreamOperatorTestHarness<?, ?, Alert> h, long end)
            throws Exception {
        during = h.snapshot(1, 1);
        h.processWatermark(end);
    }

    static void report(String name, long keys, OperatorSubtaskState after) {
        long in = during.getStateSize();
        long out = after.getStateSize();
        System.out.printf(
                "| %s | %,d | %,d bytes | %.1f MB | %,d bytes | %.1f MB |%n",
                name, keys, in, in * 100_000.0 / keys / 1e6, out, out * 100_000.0 / keys / 1e6);
    }

    /** N interfaces in 1,000 subnets of 10 VPCs, each rejecting a few probes every window. */
    static void rejectSpike(int n) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SpikePartial, Alert> h =
                harness(
                        new RejectSpikeDetector(
                                new RejectSpikeParams(),
                                Duration.ofMillis(WINDOW),
                                Duration.ofMinutes(30),
                                Duration.ofHours(24),
                                Duration.ofMinutes(15)),
                        p -> p.key,
                        Types.STRING);
        for (int w = 0; w < 3; w++) {
            List<FlowRecord> records = new ArrayList<>();
            Instant at = T0.plusMillis(w * WINDOW);
            for (int i = 0; i < n; i++) {
                FlowRecord r =
                        TestFlows.flow()
                                .from("198.51.100." + (i % 250), 40000 + w)
                                .to(address(i), 22)
                                .on(eni(i))
                                .in("vpc-" + (i % 10), "subnet-" + (i % 1000))
                                .at(at)
                                .rejected();
                records.add(r);
            }
            for (SpikePartial p :
                    TestFlows.preAggregate(
                            new RejectSpikeCombiner(WINDOW, 60_000L, Integer.MAX_VALUE), records)) {
                h.processElement(p, p.windowStart);
            }
            if (w < 2) {
                h.processWatermark(at.toEpochMilli() + WINDOW);
            } else {
                closeLastWindow(h, at.toEpochMilli() + WINDOW);
            }
        }
        report(
                "rejected_traffic_spike (interfaces, subnets, VPCs)",
                n + 1_000 + 10,
                h.snapshot(1, 1));
        h.close();
    }

    /** N sources on the internet, each probing one address and port a window. */
    static void portScan(int n) throws Exception {
        PortScanParams params = new PortScanParams();
        KeyedOneInputStreamOperatorTestHarness<Tuple3<Long, Long, Byte>, Probe, Alert> h =
                harness(
                        new PortScanDetector(
                                params, Duration.ofMillis(WINDOW), Duration.ofMinutes(30)),
                        Probe::source,
                        Probe.SOURCE_TYPE);
        for (int w = 0; w < 3; w++) {
            Instant at = T0.plusMillis(w * WINDOW);
            for (int i = 0; i < n; i++) {
                FlowRecord r =
                        TestFlows.flow()
                                .from(
                                        "203."
                                                + ((i >> 16) & 255)
                                                + "."
                                                + ((i >> 8) & 255)
                                                + "."
                                                + (i & 255),
                                        50000)
                                .to(address(i % 5000), 22 + w)
                                .on(eni(i % 5000))
                                .at(at)
                                .rejected();
                Probe p = Probe.of(r, params);
                if (p != null) {
                    h.processElement(p, p.startMillis);
                }
            }
            if (w < 2) {
                h.processWatermark(at.toEpochMilli() + WINDOW);
            } else {
                closeLastWindow(h, at.toEpochMilli() + WINDOW);
            }
        }
        report("port_scan (sources)", n, h.snapshot(1, 1));
        h.close();
    }

    /** N instances, each sending to three internet destinations a window. */
    static void egress(int n) throws Exception {
        EgressParams params = new EgressParams();
        KeyedOneInputStreamOperatorTestHarness<String, EgressPartial, Alert> h =
                harness(
                        new EgressDetector(
                                params,
                                Duration.ofMillis(WINDOW),
                                Duration.ofDays(7),
                                Duration.ofMinutes(30)),
                        p -> p.interfaceId,
                        Types.STRING);
        for (int w = 0; w < 3; w++) {
            Instant at = T0.plusMillis(w * WINDOW);
            List<FlowRecord> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < 3; d++) {
                    FlowRecord r =
                            TestFlows.flow()
                                    .from(address(i), 40000 + d)
                                    .to("93.184." + d + "." + (i % 250), 443)
                                    .on(eni(i))
                                    .egress()
                                    .peer(FlowRecord.PEER_INTERNET)
                                    .packets(10, 5_000)
                                    .at(at)
                                    .accepted();
                    records.add(r);
                }
            }
            for (EgressPartial p :
                    TestFlows.preAggregate(
                            new EgressCombiner(params, WINDOW, 60_000L, Integer.MAX_VALUE),
                            records)) {
                h.processElement(p, p.windowStart);
            }
            if (w < 2) {
                h.processWatermark(at.toEpochMilli() + WINDOW);
            } else {
                closeLastWindow(h, at.toEpochMilli() + WINDOW);
            }
        }
        report("unexpected_egress (instances)", n, h.snapshot(1, 1));
        h.close();
    }

    private DetectorStateBench() {}
}
