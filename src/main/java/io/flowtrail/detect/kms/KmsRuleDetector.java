package io.flowtrail.detect.kms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import io.flowtrail.model.CloudTrailValues;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
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
 * The point-in-time KMS rules (category {@code anomalous_key_usage}): {@code kms_key_destruction}
 * (MITRE ATT&CK T1485), {@code kms_policy_change} (T1098), {@code kms_cross_account} and {@code
 * kms_outside_vpc_endpoint} (T1078.004), as {@link KmsFindings} classifies each call.
 *
 * <p>Keyed by {@link KmsFinding#key} ({@code detector|entity}: the key ARN for destruction and
 * policy changes, {@code key|calling account} for cross-account use, {@code principal|key} for
 * calls outside the VPC endpoint); use {@link Key}. The findings of one window become one alert
 * naming every call of the window (the earliest few in full), so the id is the same in both modes.
 * Destruction and policy changes are rare and each window with one is worth an alert; cross-account
 * use and calls outside the endpoint are ongoing traffic, so after an alert the entity stays quiet
 * for {@code suppress-for}.
 *
 * <p>Windows are evaluated on event-time timers, in window order, in BATCH and STREAMING alike;
 * findings for a window already evaluated are ignored (the {@code kms_usage} window sends the late
 * calls to the dead letters). State: the open windows (dropped when evaluated) and the suppression
 * mark (cleared by a timer when it ends; a state TTL is the backstop). An entity leaves nothing
 * behind.
 */
public final class KmsRuleDetector extends KeyedProcessFunction<String, KmsFinding, Alert> {
    static final MapStateDescriptor<Long, RuleWindow> WINDOWS =
            new MapStateDescriptor<>(
                    "kms-rule-windows", Types.LONG, TypeInformation.of(RuleWindow.class));
    static final ValueStateDescriptor<Long> QUIET_UNTIL =
            new ValueStateDescriptor<>("kms-rule-quiet-until", Types.LONG);

    /** The key selector the pipeline keys findings by. */
    public static final class Key implements KeySelector<KmsFinding, String> {
        @Override
        public String getKey(KmsFinding f) {
            return f.key;
        }
    }

    private final long windowMillis;
    private final long suppressMillis;

    private transient MapState<Long, RuleWindow> windows;
    private transient ValueState<Long> quietUntil;

    /**
     * The rules themselves run in {@link KmsFindings}, which takes the params.
     *
     * @param window the tumbling window (the job's {@code window})
     * @param suppressFor {@code suppress-for}
     */
    public KmsRuleDetector(Duration window, Duration suppressFor) {
        this.windowMillis = window.toMillis();
        this.suppressMillis = suppressFor.toMillis();
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
    public void processElement(KmsFinding f, Context ctx, Collector<Alert> out) throws Exception {
        long start = DetectorSupport.windowStart(f.eventTimeMillis, windowMillis);
        long timer = start + windowMillis - 1;
        if (timer <= ctx.timerService().currentWatermark()) {
            return; // late: a dead letter of the kms_usage window
        }
        RuleWindow w = windows.get(start);
        if (w == null) {
            w = new RuleWindow();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        w.add(f);
        windows.put(start, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long start = timestamp + 1 - windowMillis;
        RuleWindow w = windows.get(start);
        if (w != null) {
            windows.remove(start);
            evaluate(start, w, ctx, out);
        }
        // After the window: a mark ending at this window's end still covered the window.
        Long quiet = quietUntil.value();
        if (quiet != null && quiet <= timestamp + 1) {
            quietUntil.clear();
        }
    }

    private void evaluate(long start, RuleWindow w, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        boolean suppressible = suppressible(w.detector);
        Long quiet = quietUntil.value();
        if (suppressible && quiet != null && start < quiet) {
            return;
        }
        out.collect(alert(start, w));
        if (suppressible && suppressMillis > 0) {
            quietUntil.update(start + suppressMillis);
            ctx.timerService().registerEventTimeTimer(start + suppressMillis - 1);
        }
    }

    static boolean suppressible(String detector) {
        return KmsFindings.CROSS_ACCOUNT.equals(detector)
                || KmsFindings.OUTSIDE_VPC_ENDPOINT.equals(detector);
    }

    private Alert alert(long start, RuleWindow w) {
        Alert a =
                DetectorSupport.alert(
                        KmsCalls.CATEGORY, w.detector, w.entity, start, start + windowMillis);
        a.accountId = w.accountId;
        a.region = w.region;
        a.keyArn = w.keyArn;
        a.principalArn = w.principals.top();
        String source = w.sources.top();
        if (CloudTrailValues.looksLikeAddress(source)) {
            a.srcAddr = source;
        }
        a.observed = w.calls;
        a.severity = KmsFindings.severityName(w.severityRank);
        a.title = title(w);
        Evidence e =
                new Evidence()
                        .put("mitre_attack", mitre(w.detector))
                        .put("calls", w.calls)
                        .put("errors", w.errors);
        if (w.otherAccountId != null) {
            e.put("other_account_id", w.otherAccountId);
        }
        e.top("event_names", w.eventNames.asMap(), 8)
                .top("principals", w.principals.asMap(), 5)
                .top("source_ips", w.sources.asMap(), 5);
        ArrayNode calls = e.array("events");
        for (int i = 0; i < w.examples; i++) {
            ObjectNode c = calls.addObject();
            c.put("event_time", DetectorSupport.iso(w.exampleTimes[i]));
            c.put("event_id", w.exampleIds[i]);
            c.put("event_name", w.exampleNames[i]);
            c.put("principal_arn", w.examplePrincipals[i]);
            if (w.exampleSessions[i] != null) {
                c.put("session_name", w.exampleSessions[i]);
            }
            c.put("source_ip", w.exampleSources[i]);
            if (w.exampleEndpoints[i] != null) {
                c.put("vpc_endpoint_id", w.exampleEndpoints[i]);
            }
            if (w.exampleErrors[i] != null) {
                c.put("error_code", w.exampleErrors[i]);
            }
            c.put("detail", w.exampleDetails[i]);
        }
        a.evidence = e.json();
        return a;
    }

    private static String title(RuleWindow w) {
        Set<String> details = new LinkedHashSet<>();
        for (int i = 0; i < w.examples; i++) {
            details.add(w.exampleDetails[i]);
        }
        String what = String.join("; ", details) + (w.calls > w.examples ? "; ..." : "");
        String key = KmsCalls.shortKey(w.keyArn != null ? w.keyArn : w.entity);
        String by = KmsCalls.shortPrincipal(w.principals.top());
        switch (w.detector) {
            case KmsFindings.DESTRUCTION:
                return "KMS key destruction on " + key + ": " + what + " by " + by;
            case KmsFindings.POLICY_CHANGE:
                return "KMS key policy change on "
                        + (w.keyArn != null ? key : w.entity)
                        + ": "
                        + what
                        + " by "
                        + by;
            case KmsFindings.CROSS_ACCOUNT:
                return "KMS key "
                        + key
                        + " used by another account, "
                        + w.otherAccountId
                        + ": "
                        + w.calls
                        + " calls ("
                        + String.join(", ", new TreeSet<>(w.eventNames.asMap().keySet()))
                        + ") by "
                        + by;
            default:
                return "Private KMS use outside its VPC endpoint: "
                        + by
                        + " on "
                        + key
                        + ", "
                        + w.calls
                        + (w.calls == 1 ? " call, " : " calls, ")
                        + what;
        }
    }

    private static String mitre(String detector) {
        switch (detector) {
            case KmsFindings.DESTRUCTION:
                return "T1485";
            case KmsFindings.POLICY_CHANGE:
                return "T1098";
            default:
                return "T1078.004";
        }
    }
}
