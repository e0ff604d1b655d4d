package io.flowtrail.detect.kms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Key usage then egress (category {@code correlated_incident}, detector {@code
 * key_usage_then_egress}, CRITICAL, MITRE ATT&CK T1530 then T1048): an instance's role made a
 * Decrypt burst or used a key for the first time, and within {@code correlation-window} after that
 * alert's window the instance's interface sent data somewhere unexpected. Each signal alone has
 * innocent explanations; decrypting a lot and then shipping data out is how encrypted data leaves.
 *
 * <p>Keyed by instance id ({@link KeyUsageEgressInput.Key}); the inputs say what each must carry.
 * An egress alert whose window starts at or after the start of a key-usage alert's window, and
 * before that window's end plus {@code correlation-window}, correlates with it. The incident's
 * window runs from the earliest key-usage window to the end of the egress window; its entity is the
 * instance. Each key-usage alert takes part in one incident at most (a burst followed by egress in
 * three windows is one incident), so ids do not repeat.
 *
 * <p>Both modes give the same incidents: an egress alert is evaluated on an event-time timer at the
 * end of its window, when every key-usage alert that can precede it has arrived (the detectors emit
 * an alert with its window's last millisecond as timestamp, before the watermark passes it), and
 * all egress alerts of one window are evaluated together. State: the key-usage alerts (each dropped
 * by a timer once no egress can follow it any more, or when it correlated) and the egress alerts
 * (dropped when evaluated); a state TTL is the backstop. Nothing stays behind.
 */
public final class KeyUsageEgressCorrelator
        extends KeyedProcessFunction<String, KeyUsageEgressInput, Alert> {
    public static final String CATEGORY = "correlated_incident";
    public static final String DETECTOR = "key_usage_then_egress";

    static final MapStateDescriptor<String, KeyUsageEgressInput> KEY_USAGE =
            new MapStateDescriptor<>(
                    "correlation-key-usage",
                    Types.STRING,
                    TypeInformation.of(KeyUsageEgressInput.class));
    static final MapStateDescriptor<String, KeyUsageEgressInput> EGRESS =
            new MapStateDescriptor<>(
                    "correlation-egress",
                    Types.STRING,
                    TypeInformation.of(KeyUsageEgressInput.class));

    private static final Comparator<KeyUsageEgressInput> ORDER =
            Comparator.comparingLong((KeyUsageEgressInput in) -> in.alert.windowStart)
                    .thenComparing(in -> in.alert.alertId);

    private final long withinMillis;
    private final long windowMillis;

    private transient MapState<String, KeyUsageEgressInput> keyUsage;
    private transient MapState<String, KeyUsageEgressInput> egress;

    /**
     * @param within {@code correlation-window}: how long after a key-usage window egress may start
     * @param window the longest window of the alerts it reads (the job's {@code window})
     */
    public KeyUsageEgressCorrelator(Duration within, Duration window) {
        this.withinMillis = within.toMillis();
        this.windowMillis = window.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        // A backstop in processing time, with room for a watermark that lags: the timers clear.
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(
                                Duration.ofMillis(withinMillis + 2 * windowMillis)
                                        .plus(Duration.ofHours(2)))
                        .build();
        KEY_USAGE.enableTimeToLive(ttl);
        EGRESS.enableTimeToLive(ttl);
        keyUsage = getRuntimeContext().getMapState(KEY_USAGE);
        egress = getRuntimeContext().getMapState(EGRESS);
    }

    /** When a key-usage input can no longer be followed by egress. */
    private long expiry(KeyUsageEgressInput in) {
        return in.alert.windowEnd + withinMillis + windowMillis - 1;
    }

    /** When an egress input is evaluated: every key-usage alert before it has arrived. */
    private long evaluation(KeyUsageEgressInput in) {
        return Math.max(in.alert.windowEnd, in.alert.windowStart + windowMillis) - 1;
    }

    @Override
    public void processElement(KeyUsageEgressInput in, Context ctx, Collector<Alert> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (in.kind == KeyUsageEgressInput.KEY_USAGE) {
            if (expiry(in) <= watermark) {
                return; // too late to be followed by anything
            }
            keyUsage.put(in.alert.alertId, in);
            ctx.timerService().registerEventTimeTimer(expiry(in));
        } else {
            if (evaluation(in) <= watermark) {
                return; // late: the key-usage alerts it could follow may be gone
            }
            egress.put(in.alert.alertId, in);
            ctx.timerService().registerEventTimeTimer(evaluation(in));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        List<KeyUsageEgressInput> due = new ArrayList<>();
        for (Map.Entry<String, KeyUsageEgressInput> e : egress.entries()) {
            if (evaluation(e.getValue()) <= timestamp) {
                due.add(e.getValue());
            }
        }
        if (!due.isEmpty()) {
            due.sort(ORDER);
            List<KeyUsageEgressInput> usages = new ArrayList<>();
            for (KeyUsageEgressInput u : keyUsage.values()) {
                usages.add(u);
            }
            usages.sort(ORDER);
            int from = 0;
            while (from < due.size()) {
                long start = due.get(from).alert.windowStart;
                int to = from;
                while (to < due.size() && due.get(to).alert.windowStart == start) {
                    to++;
                }
                List<KeyUsageEgressInput> group = due.subList(from, to);
                List<KeyUsageEgressInput> matched = new ArrayList<>();
                for (KeyUsageEgressInput u : usages) {
                    if (u.alert.windowStart <= start && start < u.alert.windowEnd + withinMillis) {
                        matched.add(u);
                    }
                }
                if (!matched.isEmpty()) {
                    out.collect(incident(ctx.getCurrentKey(), matched, group));
                    for (KeyUsageEgressInput u : matched) {
                        keyUsage.remove(u.alert.alertId);
                    }
                    usages.removeAll(matched);
                }
                from = to;
            }
            for (KeyUsageEgressInput e : due) {
                egress.remove(e.alert.alertId);
            }
        }
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, KeyUsageEgressInput> e : keyUsage.entries()) {
            if (expiry(e.getValue()) <= timestamp) {
                expired.add(e.getKey());
            }
        }
        for (String id : expired) {
            keyUsage.remove(id);
        }
    }

    private Alert incident(
            String instance, List<KeyUsageEgressInput> usages, List<KeyUsageEgressInput> egresses) {
        Alert first = usages.get(0).alert;
        Alert out = egresses.get(0).alert;
        long end = 0;
        for (KeyUsageEgressInput e : egresses) {
            end = Math.max(end, e.alert.windowEnd);
        }
        Alert a = DetectorSupport.alert(CATEGORY, DETECTOR, instance, first.windowStart, end);
        a.severity = "CRITICAL";
        for (KeyUsageEgressInput in : usages) {
            a.accountId = DetectorSupport.pick(a.accountId, in.alert.accountId);
            a.region = DetectorSupport.pick(a.region, in.alert.region);
        }
        for (KeyUsageEgressInput in : egresses) {
            a.accountId = DetectorSupport.pick(a.accountId, in.alert.accountId);
            a.region = DetectorSupport.pick(a.region, in.alert.region);
        }
        a.interfaceId = out.interfaceId;
        a.srcAddr = out.srcAddr;
        a.dstAddr = out.dstAddr;
        a.dstPort = out.dstPort;
        a.principalArn = first.principalArn;
        a.keyArn = first.keyArn;
        long minutes = Math.max(0, (out.windowStart - first.windowEnd) / 60_000);
        a.title =
                "Instance "
                        + instance
                        + " used KMS key "
                        + KmsCalls.shortKey(first.keyArn)
                        + " ("
                        + first.detector
                        + (Double.isNaN(first.observed)
                                ? ""
                                : ", " + (long) first.observed + " calls")
                        + ") and then sent data out from "
                        + out.interfaceId
                        + " ("
                        + out.detector
                        + (out.dstAddr != null
                                ? " to "
                                        + out.dstAddr
                                        + (out.dstPort != Alert.NO_PORT ? ":" + out.dstPort : "")
                                : "")
                        + ")"
                        + (minutes == 0 ? " right after" : " " + minutes + " minutes later");
        Evidence e = new Evidence().put("mitre_attack", "T1530, T1048");
        e.put("instance_id", instance)
                .put("interface_id", out.interfaceId)
                .put("link", usages.get(0).link)
                .put("correlation_window_minutes", withinMillis / 60_000)
                .put("minutes_from_key_usage_to_egress", minutes);
        ArrayNode kms = e.array("key_usage_alerts");
        for (KeyUsageEgressInput in : usages) {
            ObjectNode n = summary(kms.addObject(), in.alert);
            n.put("key_arn", in.alert.keyArn);
            n.put("principal_arn", in.alert.principalArn);
            n.put("link", in.link);
        }
        ArrayNode flows = e.array("egress_alerts");
        for (KeyUsageEgressInput in : egresses) {
            ObjectNode n = summary(flows.addObject(), in.alert);
            n.put("interface_id", in.alert.interfaceId);
            n.put("dst_addr", in.alert.dstAddr);
            if (in.alert.dstPort != Alert.NO_PORT) {
                n.put("dst_port", in.alert.dstPort);
            }
        }
        a.evidence = e.json();
        return a;
    }

    static ObjectNode summary(ObjectNode n, Alert a) {
        n.put("alert_id", a.alertId);
        n.put("detector", a.detector);
        n.put("window_start", DetectorSupport.iso(a.windowStart));
        n.put("window_end", DetectorSupport.iso(a.windowEnd));
        if (!Double.isNaN(a.observed)) {
            n.put("observed", a.observed);
        }
        n.put("title", a.title);
        return n;
    }
}
