package io.flowtrail.detect.portscan;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Port scans, per source address and window (category {@code port_scan}, MITRE ATT&CK T1046):
 *
 * <ul>
 *   <li>{@code vertical_port_scan}: one source probes many ports on one host;
 *   <li>{@code horizontal_port_scan}: one source probes one port across many hosts.
 * </ul>
 *
 * <p>Input is {@link Probe probes} only (see {@link #isProbe}), keyed by source address: rejected
 * flows, and accepted TCP flows that never got past the handshake. Ordinary fan-out (a load
 * balancer and its backends, clients of an HTTPS service, backups to many S3 addresses) moves data,
 * so it is not probes; resolvers and time servers are ignored by port. Memory per source and window
 * is capped ({@code max-targets-per-source}); a window's state is dropped when its timer fires, and
 * a suppression mark is cleared by a timer when it ends (a state TTL is the backstop). A source
 * that stops probing leaves no state and no timer behind.
 *
 * <p>Windows are evaluated on event-time timers, in window order, in BATCH and STREAMING alike, so
 * both modes raise the same alerts. Probes for a window that has already been evaluated are not
 * counted: they are the late records the flow_summary pre-aggregation already sent to the dead
 * letters.
 */
public final class PortScanDetector
        extends KeyedProcessFunction<Tuple3<Long, Long, Byte>, Probe, Alert> {
    public static final String CATEGORY = "port_scan";
    public static final String VERTICAL = "vertical_port_scan";
    public static final String HORIZONTAL = "horizontal_port_scan";

    static final MapStateDescriptor<Long, ScanWindow> WINDOWS =
            new MapStateDescriptor<>(
                    "scan-windows", Types.LONG, TypeInformation.of(ScanWindow.class));
    static final ValueStateDescriptor<Long> VERTICAL_QUIET_UNTIL =
            new ValueStateDescriptor<>("vertical-quiet-until", Types.LONG);
    static final ValueStateDescriptor<Long> HORIZONTAL_QUIET_UNTIL =
            new ValueStateDescriptor<>("horizontal-quiet-until", Types.LONG);

    private final PortScanParams params;
    private final long windowMillis;
    private final long suppressMillis;

    private transient MapState<Long, ScanWindow> windows;
    private transient ValueState<Long> verticalQuietUntil;
    private transient ValueState<Long> horizontalQuietUntil;

    public PortScanDetector(PortScanParams params, Duration window, Duration suppressFor) {
        this.params = params;
        this.windowMillis = window.toMillis();
        this.suppressMillis = suppressFor.toMillis();
    }

    /** Whether a flow record is a probe by {@code source}: what this detector counts. */
    public static boolean isProbe(FlowRecord r, PortScanParams p) {
        if (!r.isTraffic() || r.srcFamily == IpAddresses.NONE || r.dstFamily == IpAddresses.NONE) {
            return false;
        }
        if ((r.protocol != 6 && r.protocol != 17) || r.dstPort < 0 || p.ignored(r.dstPort)) {
            return false;
        }
        if (r.response || looksLikeResponse(r)) {
            return false;
        }
        if (r.action == FlowRecord.ACTION_REJECT) {
            return !p.allowed(r.srcFamily, r.srcHi, r.srcLo);
        }
        if (r.action != FlowRecord.ACTION_ACCEPT || r.protocol != 6) {
            return false; // an accepted UDP datagram cannot be told from a real query
        }
        boolean fewPackets = r.packets >= 0 && r.packets <= p.maxProbePackets;
        boolean handshakeOnly =
                r.tcpFlags < 0 || ((r.tcpFlags & 0x12) == 0x02) || (r.tcpFlags & 0x04) != 0;
        return fewPackets && handshakeOnly && !p.allowed(r.srcFamily, r.srcHi, r.srcLo);
    }

    /** A service port answering an ephemeral one: the server side of a connection, not a probe. */
    static boolean looksLikeResponse(FlowRecord r) {
        return r.srcPort >= 0 && r.srcPort < 1024 && r.dstPort >= 1024;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(Duration.ofMillis(suppressMillis + windowMillis)).build();
        VERTICAL_QUIET_UNTIL.enableTimeToLive(ttl);
        HORIZONTAL_QUIET_UNTIL.enableTimeToLive(ttl);
        windows = getRuntimeContext().getMapState(WINDOWS);
        verticalQuietUntil = getRuntimeContext().getState(VERTICAL_QUIET_UNTIL);
        horizontalQuietUntil = getRuntimeContext().getState(HORIZONTAL_QUIET_UNTIL);
    }

    @Override
    public void processElement(Probe p, Context ctx, Collector<Alert> out) throws Exception {
        long start = DetectorSupport.windowStart(p.startMillis, windowMillis);
        long timer = start + windowMillis - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            return; // late: already a dead letter (see the class comment)
        }
        ScanWindow w = windows.get(start);
        if (w == null) {
            w = new ScanWindow();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        w.accountId = DetectorSupport.pick(w.accountId, p.accountId);
        w.region = DetectorSupport.pick(w.region, p.region);
        long host = IpAddresses.hash(p.dstFamily, p.dstHi, p.dstLo);
        if (w.add(host, p.dstPort, params.maxTargetsPerSource) && w.wouldName(host)) {
            w.nameHost(host, IpAddresses.format(p.dstFamily, p.dstHi, p.dstLo), p.interfaceId);
        }
        if (p.rejected) {
            w.rejected++;
        } else {
            w.accepted++;
        }
        windows.put(start, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        evaluate(timestamp + 1 - windowMillis, ctx, out);
        // After the window: a mark ending at this window's end still covered the window.
        expireQuiet(verticalQuietUntil, timestamp);
        expireQuiet(horizontalQuietUntil, timestamp);
    }

    private void evaluate(long start, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        ScanWindow w = windows.get(start);
        windows.remove(start);
        if (w == null) {
            return;
        }
        String source = Probe.sourceText(ctx.getCurrentKey());
        Map<Long, Integer> portsPerHost = new HashMap<>();
        Map<Integer, Integer> hostsPerPort = new HashMap<>();
        for (long t : w.targets) {
            if (t != 0) {
                portsPerHost.merge(t & ~0xFFFFL, 1, Integer::sum);
                hostsPerPort.merge((int) (t & 0xFFFF), 1, Integer::sum);
            }
        }
        Map.Entry<Long, Integer> topHost =
                portsPerHost.entrySet().stream()
                        .max(
                                Map.Entry.<Long, Integer>comparingByValue()
                                        .thenComparing(e -> -e.getKey()))
                        .orElse(null);
        if (topHost != null
                && topHost.getValue() >= params.verticalMinPorts
                && !quiet(verticalQuietUntil, start)) {
            out.collect(vertical(source, start, w, topHost, portsPerHost));
            quietFrom(verticalQuietUntil, start, ctx);
        }
        Map.Entry<Integer, Integer> topPort =
                hostsPerPort.entrySet().stream()
                        .max(
                                Map.Entry.<Integer, Integer>comparingByValue()
                                        .thenComparing(e -> -e.getKey()))
                        .orElse(null);
        if (topPort != null
                && topPort.getValue() >= params.horizontalMinHosts
                && !quiet(horizontalQuietUntil, start)) {
            out.collect(horizontal(source, start, w, topPort, hostsPerPort));
            quietFrom(horizontalQuietUntil, start, ctx);
        }
    }

    /** Marks the source quiet and sets a timer that clears the mark when the quiet ends. */
    private void quietFrom(ValueState<Long> until, long windowStart, OnTimerContext ctx)
            throws Exception {
        long end = windowStart + suppressMillis;
        until.update(end);
        ctx.timerService().registerEventTimeTimer(end - 1);
    }

    private static void expireQuiet(ValueState<Long> until, long timestamp) throws Exception {
        Long u = until.value();
        if (u != null && u <= timestamp + 1) {
            until.clear();
        }
    }

    private static boolean quiet(ValueState<Long> until, long windowStart) throws Exception {
        Long u = until.value();
        return u != null && windowStart < u;
    }

    private Alert vertical(
            String source,
            long start,
            ScanWindow w,
            Map.Entry<Long, Integer> top,
            Map<Long, Integer> portsPerHost) {
        Alert a = base(VERTICAL, source, start, w);
        String host = w.hostName(top.getKey());
        a.dstAddr = host;
        a.interfaceId = w.hostInterface(top.getKey());
        a.observed = top.getValue();
        a.expected = params.verticalMinPorts;
        a.severity = severity(top.getValue(), params.verticalMinPorts, w.accepted);
        a.title =
                "Vertical port scan: "
                        + source
                        + " probed "
                        + top.getValue()
                        + " ports on "
                        + host
                        + (a.interfaceId == null ? "" : " (" + a.interfaceId + ")");
        Evidence e = evidence(w, "distinct_ports", top.getValue(), params.verticalMinPorts);
        e.put("target_host", host);
        e.put("hosts_probed", portsPerHost.size());
        int[] ports = w.portsOf(top.getKey());
        var sample = e.array("ports_sample");
        for (int i = 0; i < Math.min(ports.length, 20); i++) {
            sample.add(ports[i]);
        }
        a.evidence = e.json();
        return a;
    }

    private Alert horizontal(
            String source,
            long start,
            ScanWindow w,
            Map.Entry<Integer, Integer> top,
            Map<Integer, Integer> hostsPerPort) {
        Alert a = base(HORIZONTAL, source, start, w);
        a.dstPort = top.getKey();
        a.observed = top.getValue();
        a.expected = params.horizontalMinHosts;
        a.severity = severity(top.getValue(), params.horizontalMinHosts, w.accepted);
        a.title =
                "Horizontal port scan: "
                        + source
                        + " probed port "
                        + top.getKey()
                        + " on "
                        + top.getValue()
                        + " hosts";
        Evidence e = evidence(w, "distinct_hosts", top.getValue(), params.horizontalMinHosts);
        e.put("port", top.getKey());
        e.put("ports_probed", hostsPerPort.size());
        var hosts = e.array("hosts_sample");
        for (String h : w.hostsOn(top.getKey())) {
            hosts.add(h);
        }
        a.evidence = e.json();
        return a;
    }

    private Alert base(String detector, String source, long start, ScanWindow w) {
        Alert a = DetectorSupport.alert(CATEGORY, detector, source, start, start + windowMillis);
        a.srcAddr = source;
        a.accountId = w.accountId;
        a.region = w.region;
        return a;
    }

    private static Evidence evidence(ScanWindow w, String what, long observed, long threshold) {
        return new Evidence()
                .put("mitre_attack", "T1046")
                .put(what, observed)
                .put("threshold", threshold)
                .put("probes_rejected", w.rejected)
                .put("probes_accepted", w.accepted)
                .put("targets_capped", w.capped);
    }

    private static String severity(long observed, long threshold, long accepted) {
        String s = DetectorSupport.severity(observed, threshold);
        // Accepted probes found open ports: at least MEDIUM.
        return accepted > 0 && s.equals("LOW") ? "MEDIUM" : s;
    }
}
