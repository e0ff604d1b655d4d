package io.flowtrail.detect.kms;

import io.flowtrail.job.JobSpec;
import io.flowtrail.model.Alert;
import io.flowtrail.model.KmsEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Named instants, the sample hour's keys and principals, and a builder of KMS calls. */
final class TestKms {
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    static final long WINDOW = 5 * 60_000L;
    static final Duration FIVE_MINUTES = Duration.ofMillis(WINDOW);

    static final String ACCOUNT = "111122223333";
    static final String PARTNER = "444455556666";
    static final String REGION = "us-east-1";
    static final String KEY_PREFIX = "arn:aws:kms:us-east-1:111122223333:key/";
    static final String APP_DATA = KEY_PREFIX + "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
    static final String BACKUP_KEY = KEY_PREFIX + "8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b";
    static final String S3_DATA = KEY_PREFIX + "2b7d9e4f-1a3c-4b5d-9e6f-7a8b9c0d1e2f";
    static final String LEGACY = KEY_PREFIX + "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f";
    static final String PAYMENTS = KEY_PREFIX + "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b";

    static final String ROLE_PREFIX = "arn:aws:iam::111122223333:role/";
    static final String WEB = ROLE_PREFIX + "flowtrail-sample-web";
    static final String BATCH = ROLE_PREFIX + "flowtrail-sample-batch";
    static final String BACKUP = ROLE_PREFIX + "flowtrail-sample-backup";
    static final String KEY_ADMIN = ROLE_PREFIX + "KeyAdmin";
    static final String ADMIN = "arn:aws:iam::111122223333:user/flowtrail-admin";
    static final String DEV = "arn:aws:iam::111122223333:user/dev-rkumar";

    static final String BATCH_A = "i-0a0d0861e4f7e2353";
    static final String BATCH_B = "i-00fd539ac359d61d6";
    static final String BACKUP_HOST = "i-01d7163de5cf81d93";
    static final String BATCH_B_ENI = "eni-0c4b11609cef605c9";
    static final String NAT_B = "192.0.2.13";
    static final String KMS_ENDPOINT = "vpce-0b6f4c1d2e3a49587";

    private TestKms() {}

    static Instant window(int w) {
        return T0.plusMillis(w * WINDOW);
    }

    static long ms(Instant t) {
        return t.toEpochMilli();
    }

    static Duration d(String text) {
        return JobSpec.parseDuration(text);
    }

    /** A successful KMS call in the sample account, by nobody yet. */
    static Call call(String eventName) {
        return new Call(eventName);
    }

    /** Builds one {@link KmsEvent}: {@code call("Decrypt").by(BATCH, BATCH_B).key(APP_DATA)}. */
    static final class Call {
        private static int ids;
        final KmsEvent e = new KmsEvent();

        Call(String eventName) {
            e.eventName = eventName;
            e.eventType = "AwsApiCall";
            e.region = REGION;
            e.recipientAccountId = ACCOUNT;
            e.eventTimeMillis = ms(T0);
            e.eventId = String.format("evt-%08d", ++ids);
            e.readOnly = true;
            e.managementEvent = true;
        }

        /** An assumed-role session of {@code role}. */
        Call by(String role, String session) {
            e.principalArn = role;
            e.principalType = "AssumedRole";
            e.sessionName = session;
            e.callerAccountId = KmsCalls.accountOf(role);
            return this;
        }

        /** An IAM user or another identity with its own ARN. */
        Call by(String arn) {
            e.principalArn = arn;
            e.principalType = arn.contains(":user/") ? "IAMUser" : "AssumedRole";
            e.callerAccountId = KmsCalls.accountOf(arn);
            return this;
        }

        /** AWS itself: an {@code AWSService} principal. */
        Call byService(String service) {
            e.principalArn = service;
            e.principalType = "AWSService";
            e.invokedBy = service;
            e.sourceIp = service;
            e.callerAccountId = null;
            return this;
        }

        Call key(String keyArn) {
            e.keyArn = keyArn;
            e.keyAccountId = KmsCalls.accountOf(keyArn);
            return this;
        }

        Call at(Instant t) {
            e.eventTimeMillis = ms(t);
            return this;
        }

        Call from(String sourceIp) {
            e.sourceIp = sourceIp;
            return this;
        }

        Call via(String vpcEndpointId) {
            e.vpcEndpointId = vpcEndpointId;
            return this;
        }

        /** Made by {@code service} on the principal's behalf (S3 SSE-KMS). */
        Call invokedBy(String service) {
            e.invokedBy = service;
            e.sourceIp = service;
            return this;
        }

        Call denied() {
            return error("AccessDenied");
        }

        Call error(String code) {
            e.errorCode = code;
            return this;
        }

        Call context(String json) {
            e.encryptionContext = json;
            return this;
        }

        Call grantTo(String grantee, String operations) {
            e.granteePrincipal = grantee;
            e.grantOperations = operations;
            e.readOnly = false;
            return this;
        }

        Call policyNaming(String principals) {
            e.policyPrincipals = principals;
            e.readOnly = false;
            return this;
        }

        Call pendingDays(int days) {
            e.pendingWindowInDays = days;
            e.readOnly = false;
            return this;
        }

        Call serviceEvent() {
            e.eventType = "AwsServiceEvent";
            return this;
        }

        KmsEvent event() {
            return e;
        }
    }

    /** {@code n} calls spread over window {@code w}, every {@code 290/n} seconds. */
    static List<KmsEvent> spread(int w, int n, java.util.function.IntFunction<Call> call) {
        List<KmsEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(call.apply(i).at(window(w).plusMillis(i * 290_000L / Math.max(n, 1))).event());
        }
        return out;
    }

    /**
     * Every column of an alert as text, to compare runs (a recursive comparison takes NaN, the
     * alerts table's null, as different from itself).
     */
    static String columns(Alert a) {
        return String.join(
                "|",
                a.alertId,
                a.category,
                a.detector,
                a.severity,
                Long.toString(a.windowStart),
                Long.toString(a.windowEnd),
                String.valueOf(a.accountId),
                String.valueOf(a.region),
                String.valueOf(a.interfaceId),
                String.valueOf(a.srcAddr),
                String.valueOf(a.dstAddr),
                Integer.toString(a.dstPort),
                String.valueOf(a.principalArn),
                String.valueOf(a.keyArn),
                Double.toString(a.observed),
                Double.toString(a.expected),
                a.title,
                a.evidence);
    }

    static List<String> columns(List<Alert> alerts) {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(columns(a));
        }
        return out;
    }

    /** Alerts a harness emitted, with their ids checked. */
    static <K, I> List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<K, I, Alert> h) {
        List<Alert> out = h.extractOutputValues();
        for (Alert a : out) {
            if (a.alertId == null || a.alertId.length() != 32 || a.title == null) {
                throw new AssertionError("alert without id or title: " + a);
            }
        }
        return out;
    }
}
