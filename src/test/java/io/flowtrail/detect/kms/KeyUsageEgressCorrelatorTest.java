package io.flowtrail.detect.kms;

import static io.flowtrail.detect.kms.TestKms.APP_DATA;
import static io.flowtrail.detect.kms.TestKms.BATCH;
import static io.flowtrail.detect.kms.TestKms.BATCH_A;
import static io.flowtrail.detect.kms.TestKms.BATCH_B;
import static io.flowtrail.detect.kms.TestKms.BATCH_B_ENI;
import static io.flowtrail.detect.kms.TestKms.FIVE_MINUTES;
import static io.flowtrail.detect.kms.TestKms.NAT_B;
import static io.flowtrail.detect.kms.TestKms.PAYMENTS;
import static io.flowtrail.detect.kms.TestKms.WINDOW;
import static io.flowtrail.detect.kms.TestKms.alerts;
import static io.flowtrail.detect.kms.TestKms.ms;
import static io.flowtrail.detect.kms.TestKms.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.Evidence;
import io.flowtrail.model.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyUsageEgressCorrelatorTest {
    static final String BATCH_A_ENI = "eni-0a1b2c3d4e5f60789";

    KeyedOneInputStreamOperatorTestHarness<String, KeyUsageEgressInput, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new KeyUsageEgressCorrelator(Duration.ofMinutes(30), FIVE_MINUTES),
                        new KeyUsageEgressInput.Key(),
                        Types.STRING);
    }

    /** A Decrypt burst alert as {@link DecryptBurstDetector} raises it. */
    static Alert burst(String session, String key, int w, long calls) {
        Alert a =
                DetectorSupport.alert(
                        "anomalous_key_usage",
                        "kms_decrypt_burst",
                        key + "|" + BATCH,
                        ms(window(w)),
                        ms(window(w + 1)));
        a.accountId = "111122223333";
        a.region = "us-east-1";
        a.keyArn = key;
        a.principalArn = BATCH;
        a.srcAddr = NAT_B;
        a.observed = calls;
        a.severity = "MEDIUM";
        a.title = "KMS Decrypt burst";
        a.evidence =
                new Evidence()
                        .put("session_name", session)
                        .put("instance_id", KmsCalls.instanceIdOf(session))
                        .json();
        return a;
    }

    static Alert newPrincipal(String session, String key, int w) {
        Alert a = burst(session, key, w, 3);
        Alert n =
                DetectorSupport.alert(
                        "anomalous_key_usage",
                        "kms_new_principal",
                        key + "|" + BATCH,
                        a.windowStart,
                        a.windowEnd);
        n.keyArn = key;
        n.principalArn = BATCH;
        n.observed = 3;
        n.title = "New principal";
        n.evidence = a.evidence;
        return n;
    }

    /** An unexpected-egress alert as the egress detector raises it. */
    static Alert egress(String detector, String iface, int w) {
        Alert a =
                DetectorSupport.alert(
                        "unexpected_egress", detector, iface, ms(window(w)), ms(window(w + 1)));
        a.accountId = "111122223333";
        a.region = "us-east-1";
        a.interfaceId = iface;
        a.dstAddr = "192.0.2.200";
        a.dstPort = 443;
        a.observed = 3_030_911_168d;
        a.severity = "HIGH";
        a.title = "New external destination";
        a.evidence = "{}";
        return a;
    }

    void feed(KeyUsageEgressInput... inputs) throws Exception {
        for (KeyUsageEgressInput in : inputs) {
            harness.processElement(in, in.timestamp());
        }
    }

    static KeyUsageEgressInput usage(Alert a) {
        return KeyUsageEgressInput.keyUsage(
                a, KeyUsageEgressInput.instanceIdOf(a), KeyUsageEgressInput.BY_SESSION_NAME);
    }

    static KeyUsageEgressInput out(Alert a, String instance) {
        return KeyUsageEgressInput.egress(a, instance);
    }

    void watermark(int w) throws Exception {
        harness.processWatermark(ms(window(w)));
    }

    @Test
    void firesWhenTheInstanceSendsDataOutAfterItsDecryptBurst() throws Exception {
        Alert kms = burst(BATCH_B, APP_DATA, 9, 402);
        Alert flow = egress("new_external_destination", BATCH_B_ENI, 10);
        feed(usage(kms));
        watermark(10);
        feed(out(flow, BATCH_B));
        watermark(11);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.category).isEqualTo("correlated_incident");
        assertThat(a.detector).isEqualTo("key_usage_then_egress");
        assertThat(a.severity).isEqualTo("CRITICAL");
        assertThat(a.windowStart).isEqualTo(ms(window(9)));
        assertThat(a.windowEnd).isEqualTo(ms(window(11)));
        assertThat(a.alertId)
                .isEqualTo(
                        DetectorSupport.alert(
                                        "correlated_incident",
                                        "key_usage_then_egress",
                                        BATCH_B,
                                        ms(window(9)),
                                        0)
                                .alertId);
        assertThat(a.interfaceId).isEqualTo(BATCH_B_ENI);
        assertThat(a.principalArn).isEqualTo(BATCH);
        assertThat(a.keyArn).isEqualTo(APP_DATA);
        assertThat(a.dstAddr).isEqualTo("192.0.2.200");
        assertThat(a.dstPort).isEqualTo(443);
        assertThat(a.accountId).isEqualTo("111122223333");
        assertThat(a.title)
                .isEqualTo(
                        "Instance i-00fd539ac359d61d6 used KMS key"
                                + " key/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b (kms_decrypt_burst, 402"
                                + " calls) and then sent data out from eni-0c4b11609cef605c9"
                                + " (new_external_destination to 192.0.2.200:443) right after");
        assertThat(a.evidence)
                .contains("\"instance_id\":\"i-00fd539ac359d61d6\"")
                .contains("\"link\":\"session_name\"")
                .contains("\"alert_id\":\"" + kms.alertId + "\"")
                .contains("\"alert_id\":\"" + flow.alertId + "\"");
    }

    @Test
    void egressInTheSameWindowAndUpToTheCorrelationWindowLaterCounts() throws Exception {
        feed(
                usage(burst(BATCH_B, APP_DATA, 9, 402)),
                out(egress("egress_volume_spike", BATCH_B_ENI, 9), BATCH_B));
        watermark(11);
        assertThat(alerts(harness)).hasSize(1);

        open();
        // The burst window ends at 10:50; egress may start until 11:20 (exclusive).
        feed(
                usage(burst(BATCH_B, APP_DATA, 9, 402)),
                out(egress("egress_volume_spike", BATCH_B_ENI, 15), BATCH_B));
        watermark(17);
        assertThat(alerts(harness))
                .extracting(a -> a.title)
                .singleElement()
                .asString()
                .endsWith("25 minutes later");
    }

    @Test
    void notWhenTheEgressComesLaterThanTheCorrelationWindow() throws Exception {
        feed(usage(burst(BATCH_B, APP_DATA, 9, 402)));
        feed(out(egress("new_external_destination", BATCH_B_ENI, 16), BATCH_B));
        watermark(20);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void notWhenTheEgressCameFirst() throws Exception {
        feed(out(egress("new_external_destination", BATCH_B_ENI, 8), BATCH_B));
        feed(usage(burst(BATCH_B, APP_DATA, 9, 402)));
        watermark(20);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void notForAnotherInstance() throws Exception {
        feed(usage(burst(BATCH_B, APP_DATA, 9, 402)));
        feed(out(egress("new_external_destination", BATCH_A_ENI, 10), BATCH_A));
        watermark(20);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aBurstFollowedByEgressInSeveralWindowsIsOneIncident() throws Exception {
        feed(usage(burst(BATCH_B, APP_DATA, 9, 402)));
        feed(out(egress("new_external_destination", BATCH_B_ENI, 10), BATCH_B));
        feed(out(egress("egress_volume_spike", BATCH_B_ENI, 10), BATCH_B));
        feed(out(egress("egress_policy_violation", BATCH_B_ENI, 12), BATCH_B));
        watermark(20);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).evidence)
                .contains("\"detector\":\"new_external_destination\"")
                .contains("\"detector\":\"egress_volume_spike\"")
                .doesNotContain("egress_policy_violation");
    }

    @Test
    void keyUsageAlertsBeforeOneEgressAreOneIncident() throws Exception {
        feed(usage(burst(BATCH_B, APP_DATA, 9, 402)));
        feed(usage(newPrincipal(BATCH_B, PAYMENTS, 10)));
        feed(out(egress("new_external_destination", BATCH_B_ENI, 10), BATCH_B));
        watermark(20);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).windowStart).isEqualTo(ms(window(9)));
        assertThat(alerts.get(0).evidence)
                .contains("\"detector\":\"kms_decrypt_burst\"")
                .contains("\"detector\":\"kms_new_principal\"");
    }

    @Test
    void theArrivalOrderOfTheTwoStreamsDoesNotMatter() throws Exception {
        Alert kms = burst(BATCH_B, APP_DATA, 9, 402);
        Alert early = egress("new_external_destination", BATCH_B_ENI, 9);
        Alert later = egress("egress_volume_spike", BATCH_B_ENI, 11);
        feed(usage(kms), out(early, BATCH_B), out(later, BATCH_B));
        watermark(20);
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        // The flow alerts reach the join before the KMS alert (another path, same watermark).
        feed(out(later, BATCH_B), out(early, BATCH_B), usage(kms));
        watermark(20);
        assertThat(inOrder).hasSize(1);
        assertThat(TestKms.columns(harness.extractOutputValues()))
                .containsExactlyElementsOf(TestKms.columns(inOrder));
    }

    @Test
    void aKeyUsageAlertSurvivesASnapshotAndRestore() throws Exception {
        feed(usage(burst(BATCH_B, APP_DATA, 9, 402)));
        watermark(10);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                                new KeyUsageEgressCorrelator(Duration.ofMinutes(30), FIVE_MINUTES)),
                        new KeyUsageEgressInput.Key(),
                        Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        feed(out(egress("new_external_destination", BATCH_B_ENI, 11), BATCH_B));
        watermark(20);
        assertThat(alerts(harness)).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void stateAndTimersAreGoneAfterwards() throws Exception {
        feed(usage(burst(BATCH_B, APP_DATA, 9, 402)));
        feed(usage(burst(BATCH_A, APP_DATA, 9, 300)));
        feed(out(egress("new_external_destination", BATCH_B_ENI, 10), BATCH_B));
        feed(out(egress("new_external_destination", BATCH_A_ENI, 3), BATCH_A));
        watermark(10);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        watermark(20);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void inputsSayWhatTheyNeed() {
        Alert kms = burst(BATCH_B, APP_DATA, 9, 402);
        assertThat(usage(kms).timestamp()).isEqualTo(ms(window(10)) - 1);
        assertThatThrownBy(() -> KeyUsageEgressInput.egress(kms, BATCH_B))
                .isInstanceOf(IllegalArgumentException.class);
        Alert noInterface = egress("new_external_destination", null, 10);
        assertThatThrownBy(() -> KeyUsageEgressInput.egress(noInterface, BATCH_B))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(KmsCalls.instanceIdOf("i-00fd539ac359d61d6")).isEqualTo(BATCH_B);
        assertThat(KmsCalls.instanceIdOf("i-0123abcd")).isEqualTo("i-0123abcd");
        assertThat(KmsCalls.instanceIdOf("etl-job-4711")).isNull();
        assertThat(KmsCalls.instanceIdOf("i-00FD539AC359D61D6")).isNull();
    }

    @Test
    void keyUsageSignalsMapAlertsToInstances() throws Exception {
        List<KeyUsageEgressInput> out = new ArrayList<>();
        Collector<KeyUsageEgressInput> collect =
                new Collector<>() {
                    @Override
                    public void collect(KeyUsageEgressInput in) {
                        out.add(in);
                    }

                    @Override
                    public void close() {}
                };
        Alert bySession = burst(BATCH_B, APP_DATA, 9, 402);
        Alert lambda = burst("etl-job-4711", APP_DATA, 9, 402);
        lambda.srcAddr = "10.20.11.40";
        Alert other = egress("new_external_destination", BATCH_B_ENI, 10);

        KeyUsageSignals sessionsOnly = new KeyUsageSignals();
        sessionsOnly.flatMap(bySession, collect);
        sessionsOnly.flatMap(lambda, collect);
        sessionsOnly.flatMap(other, collect);
        assertThat(out)
                .extracting(in -> in.instanceId + " " + in.link)
                .containsExactly(BATCH_B + " session_name");

        out.clear();
        KeyUsageSignals withAddresses =
                new KeyUsageSignals(
                        (address, at) -> address.equals("10.20.11.40") ? BATCH_B : null);
        withAddresses.flatMap(lambda, collect);
        assertThat(out)
                .extracting(in -> in.instanceId + " " + in.link)
                .containsExactly(BATCH_B + " source_address");
        assertThat(out.get(0).timestamp()).isEqualTo(ms(window(9)) + WINDOW - 1);
    }
}
