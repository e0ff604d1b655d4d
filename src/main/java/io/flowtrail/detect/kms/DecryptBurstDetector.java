package io.flowtrail.detect.kms;

import io.flowtrail.detect.Baseline;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import io.flowtrail.model.CloudTrailValues;
import io.flowtrail.model.KmsEvent;
import java.time.Duration;
import java.util.Locale;
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
 * Decrypt bursts (category {@code anomalous_key_usage}, detector {@code kms_decrypt_burst}, MITRE
 * ATT&CK T1530), per key and principal and window: bulk {@code Decrypt} or {@code GenerateDataKey}
 * is how data encrypted under a key is taken, and a principal that suddenly makes far more of them
 * than it ever did is worth a look.
 *
 * <p>Keyed by {@code keyArn|principalArn} ({@link Key}); input is the calls {@link #counts} (the
 * successful {@code burst-event-names} calls charged to one of the account's principals, those that
 * AWS services make on its behalf included). A principal is the role of a session, so a role's
 * instances share one baseline (a Lambda's sessions are new every few minutes; an instance role's
 * are named after the instance): the evidence names the session that made most of the calls, and,
 * when that session is an instance id holding at least half of them, the instance ({@code
 * instance_id}) for the correlation with egress.
 *
 * <p>Fires when the window's calls reach {@code burst-floor}, exceed the pair's baseline mean by
 * {@code burst-k} standard deviations (at least {@code burst-min-stddev}), and exceed the pair's
 * largest window of the last {@code burst-peak-days} days by {@code burst-peak-factor}: a nightly
 * bulk job the pair already ran is not news. Cold start: with fewer than {@code
 * burst-warm-up-windows} windows of history a pair fires only at {@code burst-cold-start-floor}; a
 * new principal making many calls is {@code kms_new_principal}'s case. After an alert the pair
 * stays quiet for {@code suppress-for}.
 *
 * <p>Limits: the baseline is a mean and variance over the pair's windows (quiet ones as zeros), not
 * a seasonal model; the peak guard covers daily and weekly jobs only while their peaks are within
 * the remembered days.
 *
 * <p>Windows are evaluated on event-time timers in window order, so BATCH and STREAMING give the
 * same alerts; calls for a window already evaluated are ignored. State: the open windows (dropped
 * when evaluated), the suppression mark (cleared by a timer), and the history, which a timer clears
 * when the pair has had no calls for {@code burst-forget-after}; a state TTL of the same length is
 * the backstop.
 */
public final class DecryptBurstDetector extends KeyedProcessFunction<String, KmsEvent, Alert> {
    public static final String DETECTOR = "kms_decrypt_burst";

    static final MapStateDescriptor<Long, BurstWindow> WINDOWS =
            new MapStateDescriptor<>(
                    "kms-burst-windows", Types.LONG, TypeInformation.of(BurstWindow.class));
    static final ValueStateDescriptor<BurstHistory> HISTORY =
            new ValueStateDescriptor<>("kms-burst-history", TypeInformation.of(BurstHistory.class));
    static final ValueStateDescriptor<Long> QUIET_UNTIL =
            new ValueStateDescriptor<>("kms-burst-quiet-until", Types.LONG);

    /** Keys calls by {@code keyArn|principalArn}. */
    public static final class Key implements KeySelector<KmsEvent, String> {
        @Override
        public String getKey(KmsEvent e) {
            return e.keyArn + "|" + e.principalArn;
        }
    }

    private final KmsParams params;
    private final long windowMillis;
    private final long suppressMillis;
    private final long forgetMillis;

    private transient MapState<Long, BurstWindow> windows;
    private transient ValueState<BurstHistory> history;
    private transient ValueState<Long> quietUntil;

    /**
     * @param window the tumbling window (the job's {@code window})
     * @param suppressFor {@code suppress-for}
     * @param forgetAfter {@code burst-forget-after}
     */
    public DecryptBurstDetector(
            KmsParams params, Duration window, Duration suppressFor, Duration forgetAfter) {
        this.params = params;
        this.windowMillis = window.toMillis();
        this.suppressMillis = suppressFor.toMillis();
        this.forgetMillis = Math.max(forgetAfter.toMillis(), 2 * windowMillis);
    }

    /** The calls this detector counts: filter the KMS events with it before keying. */
    public static boolean counts(KmsEvent e, KmsParams p) {
        return e.errorCode == null
                && e.keyArn != null
                && e.principalArn != null
                && !KmsCalls.byAwsService(e)
                && p.burstEventNames.contains(e.eventName);
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(forgetMillis)).build();
        HISTORY.enableTimeToLive(ttl);
        QUIET_UNTIL.enableTimeToLive(ttl);
        windows = getRuntimeContext().getMapState(WINDOWS);
        history = getRuntimeContext().getState(HISTORY);
        quietUntil = getRuntimeContext().getState(QUIET_UNTIL);
    }

    @Override
    public void processElement(KmsEvent e, Context ctx, Collector<Alert> out) throws Exception {
        long start = DetectorSupport.windowStart(e.eventTimeMillis, windowMillis);
        long timer = start + windowMillis - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            return; // late: a dead letter of the kms_usage window
        }
        BurstWindow w = windows.get(start);
        if (w == null) {
            w = new BurstWindow();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        w.add(e);
        windows.put(start, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long start = timestamp + 1 - windowMillis;
        BurstWindow w = windows.get(start);
        if (w != null) {
            windows.remove(start);
            evaluate(start, w, ctx, out);
        }
        BurstHistory h = history.value();
        if (h != null && h.baseline.lastWindowStart + forgetMillis <= timestamp + 1) {
            history.clear(); // no calls for burst-forget-after: the pair starts over
        }
        // After the window: a mark ending at this window's end still covered the window.
        Long quiet = quietUntil.value();
        if (quiet != null && quiet <= timestamp + 1) {
            quietUntil.clear();
        }
    }

    private void evaluate(long start, BurstWindow w, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        BurstHistory h = history.value();
        if (h == null) {
            h = new BurstHistory(params.burstPeakDays);
        }
        Baseline b = h.baseline;
        b.catchUp(start, windowMillis, forgetMillis / windowMillis);
        boolean warm = b.windows >= params.burstWarmUpWindows;
        long peak = h.peak(start);
        double threshold =
                Math.max(
                        warm
                                ? Math.max(
                                        params.burstFloor,
                                        b.mean
                                                + params.burstK
                                                        * Math.max(
                                                                b.stddev(), params.burstMinStddev))
                                : params.burstColdStartFloor,
                        params.burstPeakFactor * peak);
        Long quiet = quietUntil.value();
        if (w.calls >= threshold && w.calls > 0 && (quiet == null || start >= quiet)) {
            out.collect(alert(start, w, threshold, warm, b, peak));
            if (suppressMillis > 0) {
                quietUntil.update(start + suppressMillis);
                ctx.timerService().registerEventTimeTimer(start + suppressMillis - 1);
            }
        }
        if (b.lastWindowStart != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(b.lastWindowStart + forgetMillis - 1);
        }
        b.add(w.calls);
        b.lastWindowStart = start;
        h.addPeak(start, w.calls);
        history.update(h);
        ctx.timerService().registerEventTimeTimer(start + forgetMillis - 1);
    }

    private Alert alert(
            long start, BurstWindow w, double threshold, boolean warm, Baseline b, long peak) {
        Alert a =
                DetectorSupport.alert(
                        KmsCalls.CATEGORY,
                        DETECTOR,
                        w.keyArn + "|" + w.principalArn,
                        start,
                        start + windowMillis);
        a.accountId = w.accountId;
        a.region = w.region;
        a.keyArn = w.keyArn;
        a.principalArn = w.principalArn;
        String source = w.sources.top();
        if (CloudTrailValues.looksLikeAddress(source)) {
            a.srcAddr = source;
        }
        a.observed = w.calls;
        a.expected = warm ? b.mean : Double.NaN;
        a.severity = DetectorSupport.severity(w.calls, threshold);
        String session = w.sessions.top();
        long sessionCalls = session == null ? 0 : w.sessions.count(session);
        double share = w.calls == 0 ? 0 : sessionCalls / (double) w.calls;
        String instance = share >= 0.5 ? KmsCalls.instanceIdOf(session) : null;
        String names = String.join("/", new TreeSet<>(w.eventNames.asMap().keySet()));
        a.title =
                "KMS "
                        + names
                        + " burst: "
                        + KmsCalls.shortPrincipal(w.principalArn)
                        + " made "
                        + w.calls
                        + " calls with "
                        + KmsCalls.shortKey(w.keyArn)
                        + " in "
                        + windowMillis / 60_000
                        + " minutes"
                        + (warm
                                ? String.format(Locale.ROOT, " (usual %.0f)", b.mean)
                                : " (no history yet)")
                        + (session != null && share >= 0.5
                                ? ", " + sessionCalls + " from session " + session
                                : "");
        Evidence e =
                new Evidence()
                        .put("mitre_attack", "T1530")
                        .put("calls", w.calls)
                        .put("threshold", threshold)
                        .put("baseline_windows", b.windows)
                        .put("baseline_mean", b.mean)
                        .put("baseline_stddev", b.stddev())
                        .put("peak_calls_recent_days", peak)
                        .put("cold_start", !warm);
        if (session != null) {
            e.put("session_name", session).put("session_calls", sessionCalls);
        }
        if (instance != null) {
            e.put("instance_id", instance);
        }
        if (source != null) {
            e.put("source_ip", source);
        }
        e.put("via_vpc_endpoint", w.viaVpcEndpoint)
                .put("distinct_encryption_contexts", w.contexts.count())
                .top("event_names", w.eventNames.asMap(), 8)
                .top("sessions", w.sessions.asMap(), 5)
                .top("source_ips", w.sources.asMap(), 5);
        if (w.services.size > 0) {
            e.top("invoked_by", w.services.asMap(), 4);
        }
        a.evidence = e.json();
        return a;
    }
}
