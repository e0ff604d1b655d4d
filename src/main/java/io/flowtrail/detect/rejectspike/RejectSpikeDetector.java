package io.flowtrail.detect.rejectspike;

import io.flowtrail.detect.Baseline;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rejected-traffic spikes (category {@code rejected_traffic_spike}, detector {@code reject_spike}),
 * per interface, subnet and VPC and per window: the rejected flows of the window against the key's
 * own history.
 *
 * <p>Fires when the window's rejected flows reach the key's floor and exceed the baseline mean by
 * {@code k} standard deviations (at least {@code min-stddev}). The baseline is the mean and
 * variance of the key's previous windows since its first rejected flow, windows without rejects
 * counting as zeros. Cold start: with fewer than {@code warm-up-windows} windows of history, a key
 * fires only at {@code cold-start-floor} (scaled for subnets and VPCs as their floors are).
 *
 * <p>Noise control: sources that probed many ports in the window are left to the port-scan
 * detector; a subnet or VPC alert is raised only when no single interface holds most of it; after
 * an alert the key stays quiet for {@code suppress-for} (an ongoing spike is one alert). The
 * evidence gives the top sources and ports, the rule attribution from the configuration join, and
 * the configuration snapshot that took effect shortly before, if one did.
 *
 * <p>Input: the partial windows of {@link RejectSpikeCombiner}, merged here per key and window.
 * Windows are evaluated on event-time timers in window order, so BATCH and STREAMING give the same
 * alerts. State: the open windows (dropped when evaluated), the suppression mark (cleared by a
 * timer when it ends) and the baseline, which a timer clears when the key has had no rejects for
 * {@code forget-after}; a state TTL of the same length is the backstop.
 */
public final class RejectSpikeDetector extends KeyedProcessFunction<String, SpikePartial, Alert> {
    public static final String CATEGORY = "rejected_traffic_spike";
    public static final String DETECTOR = "reject_spike";

    static final MapStateDescriptor<Long, SpikeWindow> WINDOWS =
            new MapStateDescriptor<>(
                    "spike-windows", Types.LONG, TypeInformation.of(SpikeWindow.class));
    static final ValueStateDescriptor<Baseline> BASELINE =
            new ValueStateDescriptor<>("reject-baseline", TypeInformation.of(Baseline.class));
    static final ValueStateDescriptor<Long> QUIET_UNTIL =
            new ValueStateDescriptor<>("spike-quiet-until", Types.LONG);

    private final RejectSpikeParams params;
    private final long windowMillis;
    private final long suppressMillis;
    private final long forgetMillis;
    private final long lookbackMillis;

    private transient MapState<Long, SpikeWindow> windows;
    private transient ValueState<Baseline> baseline;
    private transient ValueState<Long> quietUntil;

    public RejectSpikeDetector(
            RejectSpikeParams params,
            Duration window,
            Duration suppressFor,
            Duration forgetAfter,
            Duration configChangeLookback) {
        this.params = params;
        this.windowMillis = window.toMillis();
        this.suppressMillis = suppressFor.toMillis();
        this.forgetMillis = forgetAfter.toMillis();
        this.lookbackMillis = configChangeLookback.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(forgetMillis)).build();
        BASELINE.enableTimeToLive(ttl);
        QUIET_UNTIL.enableTimeToLive(ttl);
        windows = getRuntimeContext().getMapState(WINDOWS);
        baseline = getRuntimeContext().getState(BASELINE);
        quietUntil = getRuntimeContext().getState(QUIET_UNTIL);
    }

    @Override
    public void processElement(SpikePartial p, Context ctx, Collector<Alert> out) throws Exception {
        long timer = p.windowStart + windowMillis - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            return; // late: never (the combiner emits a window's partials before its watermark)
        }
        SpikeWindow w = windows.get(p.windowStart);
        if (w == null) {
            // The state's own window, not the input's (which the runtime may reuse).
            w = new SpikeWindow(p.window.level);
            ctx.timerService().registerEventTimeTimer(timer);
        }
        w.merge(p.window);
        windows.put(p.windowStart, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Baseline forgotten = baseline.value();
        if (forgotten != null && forgotten.lastWindowStart + forgetMillis <= timestamp + 1) {
            baseline.clear(); // no rejects for forget-after: the key starts over
        }
        evaluate(timestamp + 1 - windowMillis, ctx, out);
        // After the window: a mark ending at this window's end still covered the window.
        Long quiet = quietUntil.value();
        if (quiet != null && quiet <= timestamp + 1) {
            quietUntil.clear();
        }
    }

    private void evaluate(long start, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Long quiet = quietUntil.value();
        SpikeWindow w = windows.get(start);
        windows.remove(start);
        if (w == null) {
            return;
        }
        Baseline b = baseline.value();
        if (b == null) {
            b = new Baseline();
        }
        b.catchUp(start, windowMillis, forgetMillis / windowMillis);
        long scans = w.flowsFromScanners(params.scanExclusionPorts);
        long observed = w.flows - scans;
        double scale = scale(w.level);
        double floor = floor(w.level);
        boolean warm = b.windows >= params.warmUpWindows;
        double threshold =
                warm
                        ? Math.max(
                                floor, b.mean + params.k * Math.max(b.stddev(), params.minStddev))
                        : params.coldStartFloor * scale;
        boolean spread =
                w.level == SpikeWindow.INTERFACE
                        || w.interfaces.max() <= params.spreadMaxShare * w.flows;
        // A subnet or VPC without history does not fire: many interfaces' ordinary rejects add
        // up to a lot, and only the key's own history tells a spike from that background.
        boolean judged = warm || w.level == SpikeWindow.INTERFACE;
        if (observed >= threshold && spread && judged && (quiet == null || start >= quiet)) {
            out.collect(alert(ctx.getCurrentKey(), start, w, observed, scans, threshold, warm, b));
            quietUntil.update(start + suppressMillis);
            ctx.timerService().registerEventTimeTimer(start + suppressMillis - 1);
        }
        if (b.lastWindowStart != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(b.lastWindowStart + forgetMillis - 1);
        }
        b.add(observed);
        b.lastWindowStart = start;
        baseline.update(b);
        ctx.timerService().registerEventTimeTimer(start + forgetMillis - 1);
    }

    private double scale(byte level) {
        return floor(level) / (double) params.interfaceFloor;
    }

    private double floor(byte level) {
        switch (level) {
            case SpikeWindow.SUBNET:
                return params.subnetFloor;
            case SpikeWindow.VPC:
                return params.vpcFloor;
            default:
                return params.interfaceFloor;
        }
    }

    private Alert alert(
            String key,
            long start,
            SpikeWindow w,
            long observed,
            long scans,
            double threshold,
            boolean warm,
            Baseline b) {
        Alert a = DetectorSupport.alert(CATEGORY, DETECTOR, key, start, start + windowMillis);
        a.accountId = w.accountId;
        a.region = w.region;
        if (w.level == SpikeWindow.INTERFACE) {
            a.interfaceId = key;
        }
        if (w.topSources.size == 1) {
            a.srcAddr = w.topSources.keys[0];
        }
        a.observed = observed;
        a.expected = warm ? b.mean : Double.NaN;
        a.severity = DetectorSupport.severity(observed, threshold);
        String level =
                w.level == SpikeWindow.INTERFACE
                        ? "interface"
                        : w.level == SpikeWindow.SUBNET ? "subnet" : "VPC";
        a.title =
                "Rejected traffic spike on "
                        + level
                        + " "
                        + key
                        + ": "
                        + observed
                        + " rejected flows in 5 minutes"
                        + (warm ? String.format(" (usual %.0f)", b.mean) : " (no history yet)");
        Evidence e =
                new Evidence()
                        .put("level", level)
                        .put("rejected_flows", observed)
                        .put("rejected_packets", w.packets)
                        .put("threshold", threshold)
                        .put("baseline_windows", b.windows)
                        .put("baseline_mean", b.mean)
                        .put("baseline_stddev", b.stddev())
                        .put("cold_start", !warm)
                        .put("scan_flows_excluded", scans)
                        .top("top_sources", w.topSources.asMap(), 5)
                        .top("top_ports", w.topPorts.asMap(), 5)
                        .top("attribution", w.attributions.asMap(), 8);
        if (w.level != SpikeWindow.INTERFACE) {
            e.top("top_interfaces", w.interfaces.asMap(), 5);
        }
        long windowEnd = start + windowMillis;
        if (w.configSince >= 0 && windowEnd - w.configSince <= lookbackMillis + windowMillis) {
            e.object("config_change")
                    .put("snapshot_in_force_since", DetectorSupport.iso(w.configSince))
                    .put("seconds_before_window_start", (start - w.configSince) / 1000);
        }
        a.evidence = e.json();
        return a;
    }
}
