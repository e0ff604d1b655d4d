package io.flowtrail.detect.kms;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import io.flowtrail.model.CloudTrailValues;
import io.flowtrail.model.KmsEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * New principals of a key (category {@code anomalous_key_usage}, detector {@code
 * kms_new_principal}, MITRE ATT&CK T1078.004): after a key has been watched for {@code
 * new-principal-warm-up}, a principal that uses it for the first time (or for the first time in
 * {@code new-principal-remember-for}). Stolen credentials tend to be tried on every key they can
 * reach; a role that never touched the payments key and suddenly decrypts with it is worth a look.
 *
 * <p>Keyed by key ARN ({@link Key}); input is the calls {@link #counts} (successful cryptographic
 * calls charged to one of the account's principals: reading a key's metadata or being refused is
 * not using it). One alert per new principal and window, which also teaches the key the principal,
 * so a principal is reported once. The evidence names the principal's earliest call of the window,
 * its session and, when the session is an instance id, the instance ({@code instance_id}) for the
 * correlation with egress. LOW; MEDIUM when the newcomer made {@code burst-floor} calls in its
 * first window or belongs to another account.
 *
 * <p>Bounded state: at most {@code new-principal-max-per-key} principals per key (when full, the
 * expired ones are forgotten first; if it is still full, a newcomer is neither learned nor
 * reported: a key used by that many roles is not one this rule can watch). A key unused for {@code
 * new-principal-remember-for} is forgotten whole by a timer (and watched afresh, warm-up included,
 * when it comes back); a state TTL of the same length is the backstop. Principals are remembered by
 * event time, so both modes agree.
 *
 * <p>Limit: the warm-up is per key, from its first call seen. A replay shorter than the warm-up
 * raises nothing; set {@code new-principal-warm-up} shorter for forensic replays.
 */
public final class NewPrincipalDetector extends KeyedProcessFunction<String, KmsEvent, Alert> {
    public static final String DETECTOR = "kms_new_principal";

    static final MapStateDescriptor<Long, PrincipalWindow> WINDOWS =
            new MapStateDescriptor<>(
                    "kms-new-principal-windows",
                    Types.LONG,
                    TypeInformation.of(PrincipalWindow.class));
    static final MapStateDescriptor<String, Long> KNOWN =
            new MapStateDescriptor<>("kms-known-principals", Types.STRING, Types.LONG);
    static final ValueStateDescriptor<Integer> KNOWN_COUNT =
            new ValueStateDescriptor<>("kms-known-principal-count", Types.INT);
    static final ValueStateDescriptor<Long> FIRST_WINDOW =
            new ValueStateDescriptor<>("kms-key-first-window", Types.LONG);
    static final ValueStateDescriptor<Long> LAST_WINDOW =
            new ValueStateDescriptor<>("kms-key-last-window", Types.LONG);

    /** Keys calls by key ARN. */
    public static final class Key implements KeySelector<KmsEvent, String> {
        @Override
        public String getKey(KmsEvent e) {
            return e.keyArn;
        }
    }

    private final KmsParams params;
    private final long windowMillis;
    private final long warmUpMillis;
    private final long rememberMillis;

    private transient MapState<Long, PrincipalWindow> windows;
    private transient MapState<String, Long> known;
    private transient ValueState<Integer> knownCount;
    private transient ValueState<Long> firstWindow;
    private transient ValueState<Long> lastWindow;

    /**
     * @param window the tumbling window (the job's {@code window})
     * @param warmUp {@code new-principal-warm-up}
     * @param rememberFor {@code new-principal-remember-for}
     */
    public NewPrincipalDetector(
            KmsParams params, Duration window, Duration warmUp, Duration rememberFor) {
        this.params = params;
        this.windowMillis = window.toMillis();
        this.warmUpMillis = warmUp.toMillis();
        this.rememberMillis = Math.max(rememberFor.toMillis(), 2 * windowMillis);
    }

    /** The calls this detector counts: filter the KMS events with it before keying. */
    public static boolean counts(KmsEvent e) {
        return e.errorCode == null
                && e.keyArn != null
                && e.principalArn != null
                && !KmsCalls.byAwsService(e)
                && KmsCalls.CRYPTOGRAPHIC.contains(e.eventName);
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(rememberMillis)).build();
        KNOWN.enableTimeToLive(ttl);
        KNOWN_COUNT.enableTimeToLive(ttl);
        FIRST_WINDOW.enableTimeToLive(ttl);
        LAST_WINDOW.enableTimeToLive(ttl);
        windows = getRuntimeContext().getMapState(WINDOWS);
        known = getRuntimeContext().getMapState(KNOWN);
        knownCount = getRuntimeContext().getState(KNOWN_COUNT);
        firstWindow = getRuntimeContext().getState(FIRST_WINDOW);
        lastWindow = getRuntimeContext().getState(LAST_WINDOW);
    }

    @Override
    public void processElement(KmsEvent e, Context ctx, Collector<Alert> out) throws Exception {
        long start = DetectorSupport.windowStart(e.eventTimeMillis, windowMillis);
        long timer = start + windowMillis - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            return; // late: a dead letter of the kms_usage window
        }
        PrincipalWindow w = windows.get(start);
        if (w == null) {
            w = new PrincipalWindow();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        w.add(e);
        windows.put(start, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long start = timestamp + 1 - windowMillis;
        PrincipalWindow w = windows.get(start);
        if (w != null) {
            windows.remove(start);
            evaluate(start, w, ctx, out);
        }
        Long last = lastWindow.value();
        if (last != null && last + rememberMillis <= timestamp + 1) {
            // Unused for remember-for: the key is forgotten whole.
            known.clear();
            knownCount.clear();
            firstWindow.clear();
            lastWindow.clear();
        }
    }

    private void evaluate(long start, PrincipalWindow w, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        Long first = firstWindow.value();
        if (first == null) {
            first = start;
        }
        firstWindow.update(first); // written every window: its TTL runs from the last use
        boolean warm = start >= first + warmUpMillis;
        int count = knownCount.value() == null ? 0 : knownCount.value();
        Integer[] order = new Integer[w.size];
        for (int i = 0; i < w.size; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparing(i -> w.principals[i]));
        for (int i : order) {
            String principal = w.principals[i];
            Long seen = known.get(principal);
            boolean fresh = seen == null || start - seen >= rememberMillis;
            if (seen == null && count >= params.newPrincipalMaxPerKey) {
                count = forgetExpired(start);
                if (count >= params.newPrincipalMaxPerKey) {
                    continue; // full: neither learned nor reported (see the class comment)
                }
            }
            known.put(principal, start);
            if (seen == null) {
                count++;
            }
            if (fresh && warm) {
                out.collect(alert(key, start, w, i, first, count));
            }
        }
        knownCount.update(count);
        Long last = lastWindow.value();
        if (last != null) {
            ctx.timerService().deleteEventTimeTimer(last + rememberMillis - 1);
        }
        lastWindow.update(start);
        ctx.timerService().registerEventTimeTimer(start + rememberMillis - 1);
    }

    /** Forgets principals not seen for remember-for; returns how many are left. */
    private int forgetExpired(long start) throws Exception {
        List<String> expired = new ArrayList<>();
        int left = 0;
        for (Map.Entry<String, Long> e : known.entries()) {
            if (start - e.getValue() >= rememberMillis) {
                expired.add(e.getKey());
            } else {
                left++;
            }
        }
        for (String p : expired) {
            known.remove(p);
        }
        return left;
    }

    private Alert alert(String key, long start, PrincipalWindow w, int i, long first, int known) {
        String principal = w.principals[i];
        Alert a =
                DetectorSupport.alert(
                        KmsCalls.CATEGORY,
                        DETECTOR,
                        key + "|" + principal,
                        start,
                        start + windowMillis);
        a.accountId = w.accountId;
        a.region = w.region;
        a.keyArn = key;
        a.principalArn = principal;
        if (CloudTrailValues.looksLikeAddress(w.firstSources[i])) {
            a.srcAddr = w.firstSources[i];
        }
        a.observed = w.calls[i];
        String keyAccount = KmsCalls.accountOf(key);
        boolean foreign =
                w.firstAccounts[i] != null
                        && keyAccount != null
                        && !w.firstAccounts[i].equals(keyAccount);
        a.severity = w.calls[i] >= params.burstFloor || foreign ? "MEDIUM" : "LOW";
        String session = w.firstSessions[i];
        String instance = KmsCalls.instanceIdOf(session);
        a.title =
                "New principal for KMS "
                        + KmsCalls.shortKey(key)
                        + ": "
                        + KmsCalls.shortPrincipal(principal)
                        + (session != null ? " (session " + session + ")" : "")
                        + " used it for the first time, "
                        + w.calls[i]
                        + (w.calls[i] == 1 ? " call" : " calls")
                        + " starting with "
                        + w.firstEventNames[i]
                        + " (key watched since "
                        + DetectorSupport.iso(first)
                        + ")";
        Evidence e =
                new Evidence()
                        .put("mitre_attack", "T1078.004")
                        .put("calls", w.calls[i])
                        .put("first_call_time", DetectorSupport.iso(w.firstTimes[i]))
                        .put("first_event_id", w.firstIds[i])
                        .put("first_event_name", w.firstEventNames[i]);
        if (session != null) {
            e.put("session_name", session);
        }
        if (instance != null) {
            e.put("instance_id", instance);
        }
        if (w.firstSources[i] != null) {
            e.put("source_ip", w.firstSources[i]);
        }
        if (w.firstEndpoints[i] != null) {
            e.put("vpc_endpoint_id", w.firstEndpoints[i]);
        }
        if (w.firstAccounts[i] != null) {
            e.put("caller_account_id", w.firstAccounts[i]);
        }
        e.put("key_watched_since", DetectorSupport.iso(first))
                .put("known_principals", known)
                .put("other_principals_in_window", w.size - 1)
                .put("principals_capped", w.overflowed);
        a.evidence = e.json();
        return a;
    }
}
