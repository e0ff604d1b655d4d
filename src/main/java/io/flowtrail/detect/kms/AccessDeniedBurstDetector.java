package io.flowtrail.detect.kms;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import io.flowtrail.model.CloudTrailValues;
import io.flowtrail.model.KmsEvent;
import java.time.Duration;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * AccessDenied bursts (category {@code anomalous_key_usage}, detector {@code
 * kms_access_denied_burst}, MITRE ATT&CK T1580): a principal collects {@code denied-min-calls}
 * AccessDenied answers in a window across at least {@code denied-min-keys} distinct keys or {@code
 * denied-min-event-names} distinct calls. That is someone finding out what a credential can reach.
 * A misconfigured application that is refused the same call on the same key again and again is not
 * (that is an outage, and the application's own logs show it).
 *
 * <p>Keyed by principal ARN ({@link Key}); input is the calls {@link #counts} (refusals, both
 * spellings, of calls charged to one of the account's principals). A refusal that names no key
 * ({@code ListKeys}) counts towards the calls but not the keys. After an alert the principal stays
 * quiet for {@code suppress-for}. Severity by how far over {@code denied-min-calls} the window is.
 *
 * <p>Windows are evaluated on event-time timers in window order, so BATCH and STREAMING give the
 * same alerts; refusals for a window already evaluated are ignored. State: the open windows
 * (dropped when evaluated) and the suppression mark (cleared by a timer when it ends; a state TTL
 * is the backstop). A principal leaves nothing behind.
 */
public final class AccessDeniedBurstDetector extends KeyedProcessFunction<String, KmsEvent, Alert> {
    public static final String DETECTOR = "kms_access_denied_burst";

    static final MapStateDescriptor<Long, DeniedWindow> WINDOWS =
            new MapStateDescriptor<>(
                    "kms-denied-windows", Types.LONG, TypeInformation.of(DeniedWindow.class));
    static final ValueStateDescriptor<Long> QUIET_UNTIL =
            new ValueStateDescriptor<>("kms-denied-quiet-until", Types.LONG);

    /** Keys refusals by principal ARN. */
    public static final class Key implements KeySelector<KmsEvent, String> {
        @Override
        public String getKey(KmsEvent e) {
            return e.principalArn;
        }
    }

    private final KmsParams params;
    private final long windowMillis;
    private final long suppressMillis;

    private transient MapState<Long, DeniedWindow> windows;
    private transient ValueState<Long> quietUntil;

    /**
     * @param window the tumbling window (the job's {@code window})
     * @param suppressFor {@code suppress-for}
     */
    public AccessDeniedBurstDetector(KmsParams params, Duration window, Duration suppressFor) {
        this.params = params;
        this.windowMillis = window.toMillis();
        this.suppressMillis = suppressFor.toMillis();
    }

    /** The calls this detector counts: filter the KMS events with it before keying. */
    public static boolean counts(KmsEvent e) {
        return e.isAccessDenied() && e.principalArn != null && !KmsCalls.byAwsService(e);
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(Duration.ofMillis(suppressMillis + windowMillis)).build();
        QUIET_UNTIL.enableTimeToLive(ttl);
        windows = getRuntimeContext().getMapState(WINDOWS);
        quietUntil = getRuntimeContext().getState(QUIET_UNTIL);
    }

    @Override
    public void processElement(KmsEvent e, Context ctx, Collector<Alert> out) throws Exception {
        long start = DetectorSupport.windowStart(e.eventTimeMillis, windowMillis);
        long timer = start + windowMillis - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            return; // late: a dead letter of the kms_usage window
        }
        DeniedWindow w = windows.get(start);
        if (w == null) {
            w = new DeniedWindow();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        w.add(e);
        windows.put(start, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long start = timestamp + 1 - windowMillis;
        DeniedWindow w = windows.get(start);
        if (w != null) {
            windows.remove(start);
            Long quiet = quietUntil.value();
            long keys = w.distinctKeys.count();
            int names = w.eventNames.distinct();
            if (w.calls >= params.deniedMinCalls
                    && (keys >= params.deniedMinKeys || names >= params.deniedMinEventNames)
                    && (quiet == null || start >= quiet)) {
                out.collect(alert(ctx.getCurrentKey(), start, w, keys, names));
                if (suppressMillis > 0) {
                    quietUntil.update(start + suppressMillis);
                    ctx.timerService().registerEventTimeTimer(start + suppressMillis - 1);
                }
            }
        }
        // After the window: a mark ending at this window's end still covered the window.
        Long quiet = quietUntil.value();
        if (quiet != null && quiet <= timestamp + 1) {
            quietUntil.clear();
        }
    }

    private Alert alert(String principal, long start, DeniedWindow w, long keys, int names) {
        Alert a =
                DetectorSupport.alert(
                        KmsCalls.CATEGORY, DETECTOR, principal, start, start + windowMillis);
        a.accountId = w.accountId;
        a.region = w.region;
        a.principalArn = principal;
        a.keyArn = w.keys.only();
        String source = w.sources.top();
        if (CloudTrailValues.looksLikeAddress(source)) {
            a.srcAddr = source;
        }
        a.observed = w.calls;
        a.expected = params.deniedMinCalls;
        a.severity = DetectorSupport.severity(w.calls, params.deniedMinCalls);
        a.title =
                "KMS AccessDenied burst: "
                        + KmsCalls.shortPrincipal(principal)
                        + " was refused "
                        + w.calls
                        + " times on "
                        + keys
                        + (keys == 1 ? " key" : " keys")
                        + " ("
                        + String.join(", ", new TreeSet<>(w.eventNames.asMap().keySet()))
                        + ") in "
                        + windowMillis / 60_000
                        + " minutes"
                        + (source != null ? " from " + source : "");
        Evidence e =
                new Evidence()
                        .put("mitre_attack", "T1580")
                        .put("access_denied", w.calls)
                        .put("distinct_keys", keys)
                        .put("distinct_event_names", names)
                        .put("threshold_calls", params.deniedMinCalls)
                        .put("threshold_keys", params.deniedMinKeys)
                        .put("threshold_event_names", params.deniedMinEventNames)
                        .top("by_event_name", w.eventNames.asMap(), 10)
                        .top("keys", w.keys.asMap(), 10)
                        .top("source_ips", w.sources.asMap(), 5);
        if (w.sessions.size > 0) {
            e.top("sessions", w.sessions.asMap(), 5);
        }
        a.evidence = e.json();
        return a;
    }
}
