package io.flowtrail.detect.kms;

import static io.flowtrail.detect.kms.TestKms.APP_DATA;
import static io.flowtrail.detect.kms.TestKms.BATCH;
import static io.flowtrail.detect.kms.TestKms.BATCH_B;
import static io.flowtrail.detect.kms.TestKms.DEV;
import static io.flowtrail.detect.kms.TestKms.FIVE_MINUTES;
import static io.flowtrail.detect.kms.TestKms.KEY_PREFIX;
import static io.flowtrail.detect.kms.TestKms.NAT_B;
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

class AccessDeniedBurstDetectorTest {
    static final String[] KEYS = {
        "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
        "8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b",
        "f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f",
        "a9b8c7d6-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b",
        "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f",
        "2b7d9e4f-1a3c-4b5d-9e6f-7a8b9c0d1e2f",
        "d1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a"
    };

    KmsParams params;
    KeyedOneInputStreamOperatorTestHarness<String, KmsEvent, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        params = new KmsParams();
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new AccessDeniedBurstDetector(params, FIVE_MINUTES, Duration.ofHours(1)),
                        new AccessDeniedBurstDetector.Key(),
                        Types.STRING);
    }

    void feed(List<KmsEvent> calls) throws Exception {
        for (KmsEvent e : calls) {
            if (AccessDeniedBurstDetector.counts(e)) {
                harness.processElement(e, e.eventTimeMillis);
            }
        }
    }

    void watermark(int w) throws Exception {
        harness.processWatermark(ms(window(w)));
    }

    /** The sample's developer: 5 refusals on each of 8 keys, Decrypt then DescribeKey. */
    static List<KmsEvent> probing(int w) {
        return spread(
                w,
                40,
                i ->
                        call(i % 5 < 3 ? "Decrypt" : "DescribeKey")
                                .by(DEV)
                                .key(KEY_PREFIX + KEYS[i / 5])
                                .from("203.0.113.99")
                                .denied());
    }

    /** A service whose role lost its permission: the same refused call, over and over. */
    static List<KmsEvent> brokenDeployment(int w) {
        return spread(
                w,
                60,
                i ->
                        call("Decrypt")
                                .by(BATCH, BATCH_B)
                                .key(APP_DATA)
                                .from(NAT_B)
                                .error(i % 2 == 0 ? "AccessDeniedException" : "AccessDenied"));
    }

    @Test
    void firesWhenAPrincipalIsRefusedAcrossManyKeys() throws Exception {
        feed(spread(5, 1, i -> call("ListKeys").by(DEV).from("203.0.113.99")));
        feed(probing(6));
        watermark(7);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.detector).isEqualTo("kms_access_denied_burst");
        assertThat(a.principalArn).isEqualTo(DEV);
        assertThat(a.keyArn).isNull();
        assertThat(a.windowStart).isEqualTo(ms(window(6)));
        assertThat(a.windowEnd).isEqualTo(ms(window(7)));
        assertThat(a.srcAddr).isEqualTo("203.0.113.99");
        assertThat(a.observed).isEqualTo(40);
        assertThat(a.expected).isEqualTo(10);
        assertThat(a.severity).isEqualTo("MEDIUM");
        assertThat(a.title)
                .isEqualTo(
                        "KMS AccessDenied burst: user/dev-rkumar was refused 40 times on 8 keys"
                                + " (Decrypt, DescribeKey) in 5 minutes from 203.0.113.99");
        assertThat(a.evidence)
                .contains("\"mitre_attack\":\"T1580\"")
                .contains("\"distinct_keys\":8")
                .contains(
                        "\"by_event_name\":[{\"value\":\"Decrypt\",\"count\":24},"
                                + "{\"value\":\"DescribeKey\",\"count\":16}]");
    }

    @Test
    void aRepeatedlyRefusedCallIsAnOutageNotReconnaissance() throws Exception {
        feed(brokenDeployment(0));
        feed(brokenDeployment(1));
        watermark(2);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void manyDistinctCallsOnOneKeyAlsoFire() throws Exception {
        String[] calls = {"DescribeKey", "GetKeyPolicy", "ListGrants", "Decrypt"};
        feed(spread(0, 12, i -> call(calls[i % 4]).by(DEV).key(APP_DATA).denied()));
        watermark(1);
        assertThat(alerts(harness)).extracting(a -> a.keyArn).containsExactly(APP_DATA);
    }

    @Test
    void fewRefusalsAreQuiet() throws Exception {
        feed(probing(0).subList(0, 9));
        // Successful calls and other errors are not refusals.
        feed(spread(0, 30, i -> call("Decrypt").by(DEV).key(KEY_PREFIX + KEYS[i % 8])));
        feed(
                spread(
                        0,
                        30,
                        i ->
                                call("Decrypt")
                                        .by(DEV)
                                        .key(KEY_PREFIX + KEYS[i % 8])
                                        .error("KMSInvalidStateException")));
        watermark(1);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void anOngoingProbeIsOneAlert() throws Exception {
        for (int w = 0; w < 6; w++) {
            feed(probing(w));
        }
        watermark(6);
        assertThat(alerts(harness)).hasSize(1);
        feed(probing(12)); // an hour later: a new alert
        watermark(13);
        assertThat(alerts(harness)).hasSize(2);
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesTheSameAlerts() throws Exception {
        List<KmsEvent> all = new ArrayList<>();
        all.addAll(probing(0));
        all.addAll(brokenDeployment(0));
        all.addAll(probing(1));
        feed(all);
        watermark(20);
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        Collections.shuffle(all, new Random(11));
        feed(all);
        watermark(20);
        assertThat(inOrder).hasSize(1);
        assertThat(TestKms.columns(harness.extractOutputValues()))
                .containsExactlyElementsOf(TestKms.columns(inOrder));
    }

    @Test
    void stateAndTimersAreGoneAfterTheSuppression() throws Exception {
        feed(probing(0));
        feed(brokenDeployment(0));
        watermark(1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        watermark(12);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
