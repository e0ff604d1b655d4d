package io.flowtrail.detect.kms;

import static io.flowtrail.detect.kms.TestKms.APP_DATA;
import static io.flowtrail.detect.kms.TestKms.BATCH;
import static io.flowtrail.detect.kms.TestKms.BATCH_A;
import static io.flowtrail.detect.kms.TestKms.BATCH_B;
import static io.flowtrail.detect.kms.TestKms.FIVE_MINUTES;
import static io.flowtrail.detect.kms.TestKms.NAT_B;
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

class DecryptBurstDetectorTest {
    KmsParams params;
    KeyedOneInputStreamOperatorTestHarness<String, KmsEvent, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        params = new KmsParams();
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new DecryptBurstDetector(
                                params, FIVE_MINUTES, Duration.ofHours(1), Duration.ofDays(7)),
                        new DecryptBurstDetector.Key(),
                        Types.STRING);
    }

    /** Feeds what the pipeline would: the calls the detector counts. */
    void feed(List<KmsEvent> calls) throws Exception {
        for (KmsEvent e : calls) {
            if (DecryptBurstDetector.counts(e, params)) {
                harness.processElement(e, e.eventTimeMillis);
            }
        }
    }

    void watermark(int w) throws Exception {
        harness.processWatermark(ms(window(w)));
    }

    /** Batch-a and batch-b decrypting tenant data: 1 and 2 calls a window. */
    static List<KmsEvent> batchRoutine(int w) {
        List<KmsEvent> out = new ArrayList<>();
        out.addAll(
                spread(
                        w,
                        2,
                        i ->
                                call("Decrypt")
                                        .by(BATCH, BATCH_B)
                                        .key(APP_DATA)
                                        .from(NAT_B)
                                        .context("{\"tenant\":\"t-" + i + "\"}")));
        out.addAll(
                spread(
                        w,
                        1 + w % 2,
                        i -> call("Decrypt").by(BATCH, BATCH_A).key(APP_DATA).from("192.0.2.10")));
        return out;
    }

    /** Batch-b decrypting every tenant's data: {@code n} calls in window {@code w}. */
    static List<KmsEvent> batchBBurst(int w, int n) {
        return spread(
                w,
                n,
                i ->
                        call("Decrypt")
                                .by(BATCH, BATCH_B)
                                .key(APP_DATA)
                                .from(NAT_B)
                                .context("{\"tenant\":\"t-" + (i % 60) + "\"}"));
    }

    /** The web role: data keys from its instances and S3 decrypting objects on its behalf. */
    static List<KmsEvent> webRoutine(int w, int n) {
        List<KmsEvent> out = new ArrayList<>();
        out.addAll(
                spread(
                        w,
                        n,
                        i ->
                                call(i % 2 == 0 ? "GenerateDataKey" : "Decrypt")
                                        .by(WEB, "i-06cc3ba5031835d" + (i % 6) + "d")
                                        .key(APP_DATA)
                                        .from(i % 2 == 0 ? "192.0.2.10" : NAT_B)));
        out.addAll(
                spread(
                        w,
                        12,
                        i ->
                                call("Decrypt")
                                        .by(WEB, "i-06cc3ba5031835d1d")
                                        .key(S3_DATA)
                                        .invokedBy("s3.amazonaws.com")));
        out.addAll(
                spread(
                        w,
                        1,
                        i -> call("GenerateDataKey").byService("s3.amazonaws.com").key(S3_DATA)));
        return out;
    }

    @Test
    void firesWhenAnInstanceDecryptsFarAboveItsRolesBaseline() throws Exception {
        for (int w = 0; w < 9; w++) {
            feed(batchRoutine(w));
        }
        feed(batchBBurst(9, 400));
        feed(batchRoutine(9));
        watermark(10);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.category).isEqualTo("anomalous_key_usage");
        assertThat(a.detector).isEqualTo("kms_decrypt_burst");
        assertThat(a.windowStart).isEqualTo(ms(window(9)));
        assertThat(a.windowEnd).isEqualTo(ms(window(10)));
        assertThat(a.principalArn).isEqualTo(BATCH);
        assertThat(a.keyArn).isEqualTo(APP_DATA);
        assertThat(a.accountId).isEqualTo("111122223333");
        assertThat(a.region).isEqualTo("us-east-1");
        assertThat(a.srcAddr).isEqualTo(NAT_B);
        assertThat(a.observed).isEqualTo(404);
        assertThat(a.expected).isCloseTo(3.44, org.assertj.core.data.Offset.offset(0.01));
        assertThat(a.severity).isEqualTo("MEDIUM");
        assertThat(a.title)
                .isEqualTo(
                        "KMS Decrypt burst: role/flowtrail-sample-batch made 404 calls with"
                                + " key/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b in 5 minutes (usual 3),"
                                + " 402 from session i-00fd539ac359d61d6");
        assertThat(a.evidence)
                .contains("\"mitre_attack\":\"T1530\"")
                .contains("\"session_name\":\"i-00fd539ac359d61d6\"")
                .contains("\"instance_id\":\"i-00fd539ac359d61d6\"")
                .contains("\"distinct_encryption_contexts\":60")
                .contains("\"cold_start\":false");
        assertThat(KeyUsageEgressInput.instanceIdOf(a)).isEqualTo(BATCH_B);
    }

    @Test
    void staysQuietOnTheSamplesNormalTraffic() throws Exception {
        for (int w = 0; w < 12; w++) {
            feed(batchRoutine(w));
            feed(webRoutine(w, 24 + (w * 7) % 11));
        }
        watermark(13);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aRiseThatStaysUnderTheFloorIsQuiet() throws Exception {
        for (int w = 0; w < 9; w++) {
            feed(batchRoutine(w));
        }
        feed(batchBBurst(9, 90)); // 25 times the baseline, under the floor of 100
        watermark(10);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void coldStartFiresOnlyAtTheColdStartFloor() throws Exception {
        feed(batchBBurst(0, 900));
        watermark(1);
        assertThat(harness.extractOutputValues()).isEmpty();

        open();
        feed(batchBBurst(0, 1200));
        watermark(1);
        assertThat(alerts(harness))
                .extracting(a -> a.evidence.contains("\"cold_start\":true"))
                .containsExactly(true);
    }

    @Test
    void aNightlyJobTheKeyAlreadySawIsNotABurst() throws Exception {
        // A nightly export: 8 quiet windows, a window of 600 calls, and the same a day later.
        for (int w = 0; w < 8; w++) {
            feed(batchRoutine(w));
        }
        feed(batchBBurst(8, 600));
        watermark(9);
        assertThat(alerts(harness)).hasSize(1); // the first night is news
        int dayLater = 8 + 288;
        for (int w = dayLater - 8; w < dayLater; w++) {
            feed(batchRoutine(w));
        }
        feed(batchBBurst(dayLater, 650));
        watermark(dayLater + 1);
        assertThat(harness.extractOutputValues()).hasSize(1); // the second is the habit
    }

    @Test
    void anOngoingBurstIsOneAlert() throws Exception {
        for (int w = 0; w < 8; w++) {
            feed(batchRoutine(w));
        }
        for (int w = 8; w < 12; w++) {
            feed(batchBBurst(w, 300 + 200 * (w - 8)));
        }
        watermark(12);
        assertThat(alerts(harness)).hasSize(1);
    }

    @Test
    void failedCallsAndOtherOperationsAreNotCounted() throws Exception {
        for (int w = 0; w < 8; w++) {
            feed(batchRoutine(w));
        }
        feed(
                spread(
                        8,
                        500,
                        i ->
                                call(i % 2 == 0 ? "Decrypt" : "DescribeKey")
                                        .by(BATCH, BATCH_B)
                                        .key(APP_DATA)
                                        .error(i % 2 == 0 ? "KMSInvalidStateException" : null)));
        watermark(9);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesTheSameAlerts() throws Exception {
        List<KmsEvent> all = new ArrayList<>();
        for (int w = 0; w < 9; w++) {
            all.addAll(batchRoutine(w));
        }
        all.addAll(batchBBurst(9, 400));
        feed(all);
        watermark(10);
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        // Out of order within each half-hour, as a 20-minute watermark bound allows.
        for (int part = 0; part < 2; part++) {
            List<KmsEvent> shuffled = new ArrayList<>();
            for (KmsEvent e : all) {
                if (e.eventTimeMillis >= ms(window(part * 5))
                        && e.eventTimeMillis < ms(window(part * 5 + 5))) {
                    shuffled.add(e);
                }
            }
            Collections.shuffle(shuffled, new Random(7));
            feed(shuffled);
            watermark(part * 5 + 1);
        }
        watermark(10);
        assertThat(inOrder).hasSize(1);
        assertThat(TestKms.columns(harness.extractOutputValues()))
                .containsExactlyElementsOf(TestKms.columns(inOrder));
    }

    @Test
    void theHistoryAndOpenWindowsSurviveASnapshotAndRestore() throws Exception {
        for (int w = 0; w < 9; w++) {
            feed(batchRoutine(w));
        }
        feed(batchBBurst(9, 200));
        watermark(9); // window 9 still open
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                                new DecryptBurstDetector(
                                        params,
                                        FIVE_MINUTES,
                                        Duration.ofHours(1),
                                        Duration.ofDays(7))),
                        new DecryptBurstDetector.Key(),
                        Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        feed(batchBBurst(9, 200).subList(0, 150));
        watermark(10);
        assertThat(alerts(harness))
                .extracting(a -> a.observed + " " + a.evidence.contains("\"baseline_windows\":9"))
                .containsExactly("350.0 true");
    }

    @Test
    void lateCallsAreIgnored() throws Exception {
        for (int w = 0; w < 9; w++) {
            feed(batchRoutine(w));
        }
        watermark(10);
        feed(batchBBurst(9, 400)); // its window was evaluated already
        watermark(11);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void stateAndTimersAreGoneAfterForgetAfter() throws Exception {
        for (int w = 0; w < 9; w++) {
            feed(batchRoutine(w));
        }
        feed(batchBBurst(9, 400));
        watermark(10);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(ms(window(9).plus(Duration.ofDays(7))));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
