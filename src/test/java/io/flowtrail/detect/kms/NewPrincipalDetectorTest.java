package io.flowtrail.detect.kms;

import static io.flowtrail.detect.kms.TestKms.APP_DATA;
import static io.flowtrail.detect.kms.TestKms.BATCH;
import static io.flowtrail.detect.kms.TestKms.BATCH_B;
import static io.flowtrail.detect.kms.TestKms.DEV;
import static io.flowtrail.detect.kms.TestKms.FIVE_MINUTES;
import static io.flowtrail.detect.kms.TestKms.NAT_B;
import static io.flowtrail.detect.kms.TestKms.PAYMENTS;
import static io.flowtrail.detect.kms.TestKms.ROLE_PREFIX;
import static io.flowtrail.detect.kms.TestKms.S3_DATA;
import static io.flowtrail.detect.kms.TestKms.WEB;
import static io.flowtrail.detect.kms.TestKms.alerts;
import static io.flowtrail.detect.kms.TestKms.call;
import static io.flowtrail.detect.kms.TestKms.ms;
import static io.flowtrail.detect.kms.TestKms.spread;
import static io.flowtrail.detect.kms.TestKms.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.Alert;
import io.flowtrail.model.KmsEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NewPrincipalDetectorTest {
    /** Warm-up of an hour (12 windows) so that tests stay short; remember-for a day. */
    static final Duration WARM_UP = Duration.ofHours(1);

    static final Duration REMEMBER = Duration.ofDays(1);

    KmsParams params;
    KeyedOneInputStreamOperatorTestHarness<String, KmsEvent, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        params = new KmsParams();
        harness = harness(params);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, KmsEvent, Alert> harness(KmsParams p)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new NewPrincipalDetector(p, FIVE_MINUTES, WARM_UP, REMEMBER),
                new NewPrincipalDetector.Key(),
                Types.STRING);
    }

    void feed(List<KmsEvent> calls) throws Exception {
        for (KmsEvent e : calls) {
            if (NewPrincipalDetector.counts(e)) {
                harness.processElement(e, e.eventTimeMillis);
            }
        }
    }

    void watermark(int w) throws Exception {
        harness.processWatermark(ms(window(w)));
    }

    /** The key's usual principals: the web role's data keys and the batch role's decrypts. */
    static List<KmsEvent> usual(int w) {
        List<KmsEvent> out = new ArrayList<>();
        out.addAll(
                spread(
                        w,
                        6,
                        i ->
                                call("GenerateDataKey")
                                        .by(WEB, "i-06cc3ba5031835d1d")
                                        .key(APP_DATA)
                                        .from("192.0.2.10")));
        out.addAll(spread(w, 2, i -> call("Decrypt").by(BATCH, BATCH_B).key(APP_DATA).from(NAT_B)));
        return out;
    }

    @Test
    void firesWhenAPrincipalUsesTheKeyForTheFirstTimeAfterTheWarmUp() throws Exception {
        for (int w = 0; w < 14; w++) {
            feed(usual(w));
        }
        feed(
                spread(
                        14,
                        3,
                        i ->
                                call("Decrypt")
                                        .by(
                                                ROLE_PREFIX + "flowtrail-sample-cache",
                                                "i-0abc12345678def01")
                                        .key(APP_DATA)
                                        .from("10.20.11.77")
                                        .via("vpce-0b6f4c1d2e3a49587")));
        watermark(15);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.detector).isEqualTo("kms_new_principal");
        assertThat(a.keyArn).isEqualTo(APP_DATA);
        assertThat(a.principalArn).isEqualTo(ROLE_PREFIX + "flowtrail-sample-cache");
        assertThat(a.windowStart).isEqualTo(ms(window(14)));
        assertThat(a.severity).isEqualTo("LOW");
        assertThat(a.observed).isEqualTo(3);
        assertThat(a.srcAddr).isEqualTo("10.20.11.77");
        assertThat(a.title)
                .isEqualTo(
                        "New principal for KMS key/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b:"
                                + " role/flowtrail-sample-cache (session i-0abc12345678def01) used it"
                                + " for the first time, 3 calls starting with Decrypt (key watched"
                                + " since 2026-11-02T10:00:00Z)");
        assertThat(a.evidence)
                .contains("\"mitre_attack\":\"T1078.004\"")
                .contains("\"instance_id\":\"i-0abc12345678def01\"")
                .contains("\"known_principals\":3")
                .contains("\"first_call_time\":\"2026-11-02T11:10:00Z\"");
        assertThat(KeyUsageEgressInput.instanceIdOf(a)).isEqualTo("i-0abc12345678def01");
    }

    @Test
    void aPrincipalIsReportedOnce() throws Exception {
        for (int w = 0; w < 13; w++) {
            feed(usual(w));
        }
        for (int w = 13; w < 20; w++) {
            feed(spread(w, 2, i -> call("Decrypt").by(DEV).key(APP_DATA).from("203.0.113.99")));
        }
        watermark(21);
        assertThat(alerts(harness)).extracting(a -> a.windowStart).containsExactly(ms(window(13)));
    }

    @Test
    void staysQuietDuringTheWarmUpAndOnTheUsualPrincipals() throws Exception {
        for (int w = 0; w < 30; w++) {
            feed(usual(w));
            if (w == 3) {
                // A principal first seen during the warm-up is one of the key's.
                feed(spread(w, 1, i -> call("Decrypt").by(DEV).key(APP_DATA)));
            }
        }
        feed(spread(20, 1, i -> call("Decrypt").by(DEV).key(APP_DATA)));
        watermark(31);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void refusalsMetadataAndAwsServicesAreNotUses() throws Exception {
        for (int w = 0; w < 13; w++) {
            feed(usual(w));
        }
        feed(spread(13, 5, i -> call("Decrypt").by(DEV).key(APP_DATA).denied()));
        feed(spread(13, 1, i -> call("DescribeKey").by(DEV).key(APP_DATA)));
        feed(
                spread(
                        13,
                        1,
                        i -> call("GenerateDataKey").byService("s3.amazonaws.com").key(APP_DATA)));
        // S3 decrypting for the web role is the web role's use.
        feed(
                spread(
                        13,
                        1,
                        i ->
                                call("Decrypt")
                                        .by(WEB, "i-06cc3ba5031835d1d")
                                        .key(APP_DATA)
                                        .invokedBy("s3.amazonaws.com")));
        watermark(14);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aPrincipalSilentForLongerThanRememberForIsNewAgain() throws Exception {
        for (int w = 0; w < 13; w++) {
            feed(usual(w));
        }
        feed(spread(13, 1, i -> call("Decrypt").by(DEV).key(APP_DATA)));
        int later = 13 + 288 + 1; // a day and a window later, the key still in use
        for (int w = 14; w < later; w += 12) {
            feed(usual(w));
        }
        feed(spread(later, 1, i -> call("Decrypt").by(DEV).key(APP_DATA)));
        watermark(later + 1);
        assertThat(alerts(harness))
                .extracting(a -> a.windowStart)
                .containsExactly(ms(window(13)), ms(window(later)));
    }

    @Test
    void otherAccountsAndBulkNewcomersAreMedium() throws Exception {
        for (int w = 0; w < 13; w++) {
            feed(usual(w));
        }
        KmsEvent partner =
                call("Decrypt")
                        .by("arn:aws:iam::444455556666:role/PartnerIngest", "job-1")
                        .key(APP_DATA)
                        .at(window(13))
                        .event();
        feed(List.of(partner));
        feed(spread(13, 150, i -> call("Decrypt").by(DEV).key(APP_DATA)));
        watermark(14);
        assertThat(alerts(harness)).extracting(a -> a.severity).containsExactly("MEDIUM", "MEDIUM");
    }

    @Test
    void atMostMaxPerKeyPrincipalsAreRemembered() throws Exception {
        params.newPrincipalMaxPerKey = 3;
        harness = harness(params);
        for (int w = 0; w < 13; w++) {
            feed(usual(w)); // two principals
        }
        feed(spread(13, 1, i -> call("Decrypt").by(DEV).key(APP_DATA)));
        feed(spread(14, 1, i -> call("Decrypt").by(ROLE_PREFIX + "another").key(APP_DATA)));
        watermark(15);
        // The third principal fills the key; the fourth is neither learned nor reported.
        assertThat(alerts(harness)).extracting(a -> a.principalArn).containsExactly(DEV);
    }

    @Test
    void eachKeyHasItsOwnPrincipals() throws Exception {
        for (int w = 0; w < 13; w++) {
            feed(usual(w));
            feed(spread(w, 1, i -> call("Decrypt").by(DEV).key(PAYMENTS)));
        }
        feed(spread(13, 1, i -> call("Decrypt").by(BATCH, BATCH_B).key(PAYMENTS)));
        feed(spread(13, 1, i -> call("Decrypt").by(DEV).key(APP_DATA)));
        feed(spread(13, 1, i -> call("Decrypt").by(DEV).key(S3_DATA))); // S3_DATA: warm-up
        watermark(14);
        assertThat(alerts(harness))
                .extracting(a -> a.keyArn + " " + a.principalArn)
                .containsExactlyInAnyOrder(PAYMENTS + " " + BATCH, APP_DATA + " " + DEV);
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesTheSameAlerts() throws Exception {
        List<KmsEvent> all = new ArrayList<>();
        for (int w = 0; w < 14; w++) {
            all.addAll(usual(w));
        }
        all.addAll(
                spread(13, 4, i -> call("Decrypt").by(DEV).key(APP_DATA).from("203.0.113.9" + i)));
        all.addAll(
                spread(
                        13,
                        4,
                        i -> call("Sign").by(ROLE_PREFIX + "signer", "s-" + i).key(APP_DATA)));
        feed(all);
        watermark(15);
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        List<KmsEvent> early = new ArrayList<>();
        List<KmsEvent> late = new ArrayList<>();
        for (KmsEvent e : all) {
            (e.eventTimeMillis < ms(window(10)) ? early : late).add(e);
        }
        Collections.shuffle(early, new Random(5));
        Collections.shuffle(late, new Random(6));
        feed(early);
        watermark(6);
        feed(late);
        watermark(15);
        assertThat(inOrder).hasSize(2);
        assertThat(TestKms.columns(harness.extractOutputValues()))
                .containsExactlyElementsOf(TestKms.columns(inOrder));
    }

    @Test
    void stateAndTimersAreGoneAfterRememberFor() throws Exception {
        for (int w = 0; w < 14; w++) {
            feed(usual(w));
        }
        feed(spread(13, 1, i -> call("Decrypt").by(DEV).key(APP_DATA)));
        watermark(14);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(ms(window(13).plus(REMEMBER)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
