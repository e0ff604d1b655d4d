package io.flowtrail.detect.egress;

import io.flowtrail.detect.Baseline;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * Unexpected egress (category {@code unexpected_egress}, MITRE ATT&CK T1048 / T1041), per interface
 * and window:
 *
 * <ul>
 *   <li>{@code new_external_destination}: after the interface's warm-up, a destination prefix it
 *       has not talked to within {@code remember-for} receives at least {@code
 *       new-destination-min-bytes} in a window;
 *   <li>{@code egress_volume_spike}: bytes out to external destinations far above the interface's
 *       own baseline (exfiltration), at least {@code volume-floor-bytes};
 *   <li>{@code egress_policy_violation}: accepted egress from an interface in a scope with an
 *       egress policy (VPC or subnet) that no allow of the policy matches;
 *   <li>{@code internet_egress_without_route}: accepted egress to the internet from a subnet whose
 *       route table has no route to the destination (routing drops it, yet the interface let it
 *       out: an isolated workload trying to get out), to destinations no egress policy allows;
 *   <li>{@code gateway_endpoint_bypass}: S3 or DynamoDB traffic leaving through a NAT or internet
 *       gateway from a subnet that has a gateway endpoint for the service (the private path the VPC
 *       was built for is being bypassed; the configuration join marks such flows).
 * </ul>
 *
 * <p>Input: the partial windows of {@link EgressCombiner}, merged here per interface and window.
 * Only accepted egress from instances to external addresses counts (see {@link EgressEvent}): AWS
 * services reached privately, the VPC and its peerings, responses, and managed interfaces (NAT
 * gateways carry their clients' traffic) are left out. State: the destinations learnt (capped, each
 * with a TTL of {@code remember-for}), the volume baseline, the open windows (dropped when
 * evaluated on their event-time timer, so both modes give the same alerts). An interface with no
 * egress for {@code remember-for} is forgotten whole by a timer.
 */
public final class EgressDetector extends KeyedProcessFunction<String, EgressPartial, Alert> {
    public static final String CATEGORY = "unexpected_egress";
    public static final String NEW_DESTINATION = "new_external_destination";
    public static final String VOLUME = "egress_volume_spike";
    public static final String POLICY = "egress_policy_violation";
    public static final String BYPASS = "gateway_endpoint_bypass";
    public static final String NO_ROUTE = "internet_egress_without_route";

    static final MapStateDescriptor<Long, EgressWindow> WINDOWS =
            new MapStateDescriptor<>(
                    "egress-windows", Types.LONG, TypeInformation.of(EgressWindow.class));
    static final MapStateDescriptor<Long, Long> KNOWN =
            new MapStateDescriptor<>("known-destinations", Types.LONG, Types.LONG);
    static final ValueStateDescriptor<Long> KNOWN_COUNT =
            new ValueStateDescriptor<>("known-destination-count", Types.LONG);
    static final ValueStateDescriptor<Long> FIRST_WINDOW =
            new ValueStateDescriptor<>("first-window", Types.LONG);
    static final ValueStateDescriptor<Baseline> VOLUME_BASELINE =
            new ValueStateDescriptor<>(
                    "egress-volume-baseline", TypeInformation.of(Baseline.class));
    static final MapStateDescriptor<String, Long> QUIET_UNTIL =
            new MapStateDescriptor<>("egress-quiet-until", Types.STRING, Types.LONG);

    private final EgressParams params;
    private final long windowMillis;
    private final long rememberMillis;
    private final long suppressMillis;

    private transient MapState<Long, EgressWindow> windows;
    private transient MapState<Long, Long> known;
    private transient ValueState<Long> knownCount;
    private transient ValueState<Long> firstWindow;
    private transient ValueState<Baseline> volume;
    private transient MapState<String, Long> quietUntil;

    public EgressDetector(
            EgressParams params, Duration window, Duration rememberFor, Duration suppressFor) {
        this.params = params;
        this.windowMillis = window.toMillis();
        this.rememberMillis = rememberFor.toMillis();
        this.suppressMillis = suppressFor.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(rememberMillis)).build();
        KNOWN.enableTimeToLive(ttl);
        KNOWN_COUNT.enableTimeToLive(ttl);
        FIRST_WINDOW.enableTimeToLive(ttl);
        VOLUME_BASELINE.enableTimeToLive(ttl);
        QUIET_UNTIL.enableTimeToLive(ttl);
        windows = getRuntimeContext().getMapState(WINDOWS);
        known = getRuntimeContext().getMapState(KNOWN);
        knownCount = getRuntimeContext().getState(KNOWN_COUNT);
        firstWindow = getRuntimeContext().getState(FIRST_WINDOW);
        volume = getRuntimeContext().getState(VOLUME_BASELINE);
        quietUntil = getRuntimeContext().getMapState(QUIET_UNTIL);
    }

    @Override
    public void processElement(EgressPartial p, Context ctx, Collector<Alert> out)
            throws Exception {
        long timer = p.windowStart + windowMillis - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            return; // late: never (the combiner emits a window's partials before its watermark)
        }
        EgressWindow w = windows.get(p.windowStart);
        if (w == null) {
            // The state's own window, not the input's (which the runtime may reuse).
            w = new EgressWindow();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        w.merge(p.window);
        windows.put(p.windowStart, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Baseline last = volume.value();
        if (last != null && last.lastWindowStart + rememberMillis <= timestamp + 1) {
            forget(); // no egress for remember-for: everything learnt about it expires
        }
        evaluate(timestamp + 1 - windowMillis, ctx, out);
        // After the window: a mark ending at this window's end still covered the window.
        for (String d : List.of(NEW_DESTINATION, VOLUME, POLICY, BYPASS, NO_ROUTE)) {
            Long until = quietUntil.get(d);
            if (until != null && until <= timestamp + 1) {
                quietUntil.remove(d);
            }
        }
    }

    private void evaluate(long start, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        EgressWindow w = windows.get(start);
        windows.remove(start);
        if (w == null) {
            return;
        }
        String iface = ctx.getCurrentKey();
        Long first = firstWindow.value();
        if (first == null) {
            first = start;
            firstWindow.update(first);
        }
        boolean warm = start >= first + params.warmUpWindows * windowMillis;

        List<Integer> fresh = new ArrayList<>();
        long count = knownCount.value() == null ? 0 : knownCount.value();
        for (int i = 0; i < w.prefixKeys.length; i++) {
            long k = w.prefixKeys[i];
            if (k == 0) {
                continue;
            }
            if (known.contains(k)) {
                known.put(k, start);
            } else if (count < params.maxDestinationsPerInterface) {
                known.put(k, start);
                count++;
                if (warm && w.prefixBytes[i] >= params.newDestinationMinBytes) {
                    fresh.add(i);
                }
            }
        }
        knownCount.update(count);
        if (!fresh.isEmpty() && !quiet(NEW_DESTINATION, start, ctx)) {
            out.collect(newDestination(iface, start, w, fresh));
        }

        Baseline b = volume.value();
        if (b == null) {
            b = new Baseline();
        }
        b.catchUp(start, windowMillis, rememberMillis / windowMillis);
        if (b.windows >= params.warmUpWindows) {
            double threshold =
                    Math.max(params.volumeFloorBytes, b.mean + params.volumeK * b.stddev());
            if (w.bytes >= threshold && !quiet(VOLUME, start, ctx)) {
                out.collect(volumeSpike(iface, start, w, b, threshold));
            }
        }
        if (b.lastWindowStart != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(b.lastWindowStart + rememberMillis - 1);
        }
        b.add(w.bytes);
        b.lastWindowStart = start;
        volume.update(b);
        ctx.timerService().registerEventTimeTimer(start + rememberMillis - 1);

        if (w.violationFlows > 0 && !quiet(POLICY, start, ctx)) {
            out.collect(policyViolation(iface, start, w));
        }
        if (w.bypassBytes > 0 && !quiet(BYPASS, start, ctx)) {
            out.collect(bypass(iface, start, w));
        }
        if (w.unroutedFlows > 0 && !quiet(NO_ROUTE, start, ctx)) {
            out.collect(unrouted(iface, start, w));
        }
    }

    private boolean quiet(String detector, long start, OnTimerContext ctx) throws Exception {
        Long until = quietUntil.get(detector);
        if (until != null && start < until) {
            return true;
        }
        quietUntil.put(detector, start + suppressMillis);
        ctx.timerService().registerEventTimeTimer(start + suppressMillis - 1);
        return false;
    }

    private void forget() {
        known.clear();
        knownCount.clear();
        firstWindow.clear();
        volume.clear();
        quietUntil.clear();
    }

    private Alert base(String detector, String iface, long start, EgressWindow w) {
        Alert a = DetectorSupport.alert(CATEGORY, detector, iface, start, start + windowMillis);
        a.interfaceId = iface;
        a.accountId = w.accountId;
        a.region = w.region;
        return a;
    }

    private Alert newDestination(String iface, long start, EgressWindow w, List<Integer> fresh) {
        fresh.sort(
                Comparator.comparingLong((Integer i) -> -w.prefixBytes[i])
                        .thenComparing(i -> w.prefixAddress[i]));
        int top = fresh.get(0);
        Alert a = base(NEW_DESTINATION, iface, start, w);
        a.dstAddr = w.prefixAddress[top];
        a.dstPort = w.prefixPort[top];
        a.observed = w.prefixBytes[top];
        a.expected = params.newDestinationMinBytes;
        a.severity = DetectorSupport.severity(w.prefixBytes[top], params.newDestinationMinBytes);
        a.title =
                String.format(
                        "%s sent %.1f MB to a destination it never talked to before: %s:%d",
                        iface, w.prefixBytes[top] / 1e6, a.dstAddr, a.dstPort);
        Evidence e =
                new Evidence()
                        .put("mitre_attack", "T1048")
                        .put(
                                "bytes_to_new_destinations",
                                fresh.stream().mapToLong(i -> w.prefixBytes[i]).sum())
                        .put("threshold_bytes", params.newDestinationMinBytes)
                        .put("bytes_out_in_window", w.bytes);
        var list = e.array("new_destinations");
        for (int i : fresh.subList(0, Math.min(5, fresh.size()))) {
            list.addObject()
                    .put("address", w.prefixAddress[i])
                    .put("port", w.prefixPort[i])
                    .put("bytes", w.prefixBytes[i]);
        }
        a.evidence = e.json();
        return a;
    }

    private Alert volumeSpike(
            String iface, long start, EgressWindow w, Baseline b, double threshold) {
        Alert a = base(VOLUME, iface, start, w);
        a.observed = w.bytes;
        a.expected = b.mean;
        a.severity = DetectorSupport.severity(w.bytes, threshold);
        int top = -1;
        for (int i = 0; i < w.prefixKeys.length; i++) {
            if (w.prefixKeys[i] != 0 && (top < 0 || w.prefixBytes[i] > w.prefixBytes[top])) {
                top = i;
            }
        }
        if (top >= 0) {
            a.dstAddr = w.prefixAddress[top];
            a.dstPort = w.prefixPort[top];
        }
        a.title =
                String.format(
                        "%s sent %.1f MB out in 5 minutes (usual %.1f MB)",
                        iface, w.bytes / 1e6, b.mean / 1e6);
        a.evidence =
                new Evidence()
                        .put("mitre_attack", "T1048")
                        .put("bytes_out", w.bytes)
                        .put("threshold_bytes", threshold)
                        .put("baseline_windows", b.windows)
                        .put("baseline_mean_bytes", b.mean)
                        .put("baseline_stddev_bytes", b.stddev())
                        .put(
                                "top_destination",
                                a.dstAddr == null ? "" : a.dstAddr + ":" + a.dstPort)
                        .json();
        return a;
    }

    private Alert unrouted(String iface, long start, EgressWindow w) {
        Alert a = base(NO_ROUTE, iface, start, w);
        String top = w.unrouted.top();
        int colon = top.lastIndexOf(':');
        a.dstAddr = top.substring(0, colon);
        a.dstPort = Integer.parseInt(top.substring(colon + 1));
        a.observed = w.unroutedFlows;
        a.expected = 0;
        a.severity = "MEDIUM";
        a.title =
                iface
                        + " tried to reach the internet ("
                        + top
                        + ") from a subnet with no route to it ("
                        + w.unroutedFlows
                        + " flows)";
        a.evidence =
                new Evidence()
                        .put("mitre_attack", "T1048")
                        .put("flows", w.unroutedFlows)
                        .put("subnet_id", w.subnetId == null ? "" : w.subnetId)
                        .top("destinations", w.unrouted.asMap(), 8)
                        .json();
        return a;
    }

    private Alert bypass(String iface, long start, EgressWindow w) {
        Alert a = base(BYPASS, iface, start, w);
        String top = w.bypasses.top();
        a.observed = w.bypassBytes;
        a.expected = 0;
        a.severity = "MEDIUM";
        a.title =
                String.format(
                        "%s sent %.1f MB to %s through a NAT or internet gateway although its subnet"
                                + " has the gateway endpoint %s",
                        iface,
                        w.bypassBytes / 1e6,
                        top.substring(top.indexOf(' ') + 1),
                        top.substring(0, top.indexOf(' ')));
        a.evidence =
                new Evidence()
                        .put("bytes", w.bypassBytes)
                        .top("endpoints_and_services", w.bypasses.asMap(), 4)
                        .json();
        return a;
    }

    private Alert policyViolation(String iface, long start, EgressWindow w) {
        Alert a = base(POLICY, iface, start, w);
        a.observed = w.violationFlows;
        a.expected = 0;
        a.severity = DetectorSupport.severity(w.violationBytes, 10L * 1024 * 1024);
        if (w.violations.size > 0) {
            String top = w.violations.top();
            int colon = top.lastIndexOf(':');
            a.dstAddr = top.substring(0, colon);
            a.dstPort = Integer.parseInt(top.substring(colon + 1));
        }
        a.title =
                iface
                        + " reached destinations its egress policy does not allow ("
                        + w.violationFlows
                        + " flows)";
        a.evidence =
                new Evidence()
                        .put("mitre_attack", "T1041")
                        .put("flows", w.violationFlows)
                        .put("bytes", w.violationBytes)
                        .top("destinations", w.violations.asMap(), 10)
                        .json();
        return a;
    }
}
