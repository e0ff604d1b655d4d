package io.flowtrail.detect.kms;

import static io.flowtrail.detect.kms.TestKms.ADMIN;
import static io.flowtrail.detect.kms.TestKms.APP_DATA;
import static io.flowtrail.detect.kms.TestKms.BACKUP;
import static io.flowtrail.detect.kms.TestKms.BACKUP_HOST;
import static io.flowtrail.detect.kms.TestKms.BACKUP_KEY;
import static io.flowtrail.detect.kms.TestKms.BATCH;
import static io.flowtrail.detect.kms.TestKms.BATCH_B;
import static io.flowtrail.detect.kms.TestKms.FIVE_MINUTES;
import static io.flowtrail.detect.kms.TestKms.KEY_ADMIN;
import static io.flowtrail.detect.kms.TestKms.KMS_ENDPOINT;
import static io.flowtrail.detect.kms.TestKms.LEGACY;
import static io.flowtrail.detect.kms.TestKms.NAT_B;
import static io.flowtrail.detect.kms.TestKms.PARTNER;
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

class KmsRuleDetectorTest {
    static final String PARTNER_ROLE = "arn:aws:iam::444455556666:role/PartnerIngest";

    KmsParams params;
    KeyedOneInputStreamOperatorTestHarness<String, KmsFinding, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        params = new KmsParams();
        params.privatePrincipals.add(BACKUP);
        params.privateKeys.add("8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b"); // the backup key, by id
        params.allowedSourceCidrs.add("10.20.0.0/16");
        harness = harness();
    }

    KeyedOneInputStreamOperatorTestHarness<String, KmsFinding, Alert> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new KmsRuleDetector(FIVE_MINUTES, Duration.ofHours(1)),
                new KmsRuleDetector.Key(),
                Types.STRING);
    }

    /** Feeds what the pipeline would: the findings of each call. */
    void feed(List<KmsEvent> calls) throws Exception {
        for (KmsEvent e : calls) {
            for (KmsFinding f : KmsFindings.of(e, params)) {
                harness.processElement(f, f.eventTimeMillis);
            }
        }
    }

    void feed(KmsEvent... calls) throws Exception {
        feed(List.of(calls));
    }

    void watermark(int w) throws Exception {
        harness.processWatermark(ms(window(w)));
    }

    /** The sample hour's everyday KMS traffic, one window of it. */
    static List<KmsEvent> everyday(int w) {
        List<KmsEvent> out = new ArrayList<>();
        out.addAll(
                spread(
                        w,
                        30,
                        i ->
                                call(i % 2 == 0 ? "GenerateDataKey" : "Decrypt")
                                        .by(WEB, "i-06cc3ba5031835d1d")
                                        .key(APP_DATA)
                                        .from(i % 3 == 0 ? "192.0.2.10" : NAT_B)));
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
        out.addAll(
                spread(
                        w,
                        15,
                        i ->
                                call("GenerateDataKey")
                                        .by(BACKUP, BACKUP_HOST)
                                        .key(BACKUP_KEY)
                                        .from("10.20.20.50")
                                        .via(KMS_ENDPOINT)));
        out.addAll(spread(w, 3, i -> call("Decrypt").by(BATCH, BATCH_B).key(APP_DATA).from(NAT_B)));
        return out;
    }

    @Test
    void firesOnAKeyScheduledForDeletion() throws Exception {
        feed(
                call("DescribeKey")
                        .by(ADMIN)
                        .key(LEGACY)
                        .from("198.51.100.10")
                        .at(window(2).plusSeconds(80))
                        .event());
        feed(
                call("ScheduleKeyDeletion")
                        .by(ADMIN)
                        .key(LEGACY)
                        .from("198.51.100.10")
                        .pendingDays(7)
                        .at(window(2).plusSeconds(127))
                        .event());
        watermark(3);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.category).isEqualTo("anomalous_key_usage");
        assertThat(a.detector).isEqualTo("kms_key_destruction");
        assertThat(a.severity).isEqualTo("HIGH");
        assertThat(a.keyArn).isEqualTo(LEGACY);
        assertThat(a.principalArn).isEqualTo(ADMIN);
        assertThat(a.srcAddr).isEqualTo("198.51.100.10");
        assertThat(a.accountId).isEqualTo("111122223333");
        assertThat(a.region).isEqualTo("us-east-1");
        assertThat(a.windowStart).isEqualTo(ms(window(2)));
        assertThat(a.windowEnd).isEqualTo(ms(window(3)));
        assertThat(a.title)
                .isEqualTo(
                        "KMS key destruction on key/c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f: deletion"
                                + " scheduled in 7 days by user/flowtrail-admin");
        assertThat(a.evidence)
                .contains("\"mitre_attack\":\"T1485\"")
                .contains("\"event_name\":\"ScheduleKeyDeletion\"")
                .contains("\"event_time\":\"2026-11-02T10:12:07Z\"");
    }

    @Test
    void disablingAKeyAndDeletingItsImportedMaterialAreDestruction() throws Exception {
        feed(call("DisableKey").by(ADMIN).key(LEGACY).at(window(0)).event());
        feed(call("DeleteImportedKeyMaterial").by(ADMIN).key(APP_DATA).at(window(0)).event());
        // A refused attempt changed nothing; the DeleteKey at the end of the waiting period was
        // announced when it was scheduled.
        feed(call("ScheduleKeyDeletion").by(ADMIN).key(S3_DATA).at(window(0)).denied().event());
        feed(call("DeleteKey").key(S3_DATA).at(window(0)).serviceEvent().event());
        watermark(1);
        assertThat(alerts(harness))
                .extracting(a -> a.keyArn + " " + a.severity)
                .containsExactlyInAnyOrder(LEGACY + " HIGH", APP_DATA + " HIGH");
    }

    @Test
    void policyChangesAreMediumAndGrantsToOtherAccountsCount() throws Exception {
        feed(
                call("CreateGrant")
                        .by(KEY_ADMIN, "alice")
                        .key(APP_DATA)
                        .grantTo(PARTNER_ROLE, "Decrypt,GenerateDataKey")
                        .at(window(0))
                        .event());
        // A grant inside the account, and EBS's grant for a volume, are everyday work.
        feed(
                call("CreateGrant")
                        .by(KEY_ADMIN, "alice")
                        .key(S3_DATA)
                        .grantTo(WEB, "Decrypt")
                        .at(window(0))
                        .event());
        feed(
                call("CreateGrant")
                        .by(WEB, "i-06cc3ba5031835d1d")
                        .key(BACKUP_KEY)
                        .invokedBy("ec2.amazonaws.com")
                        .grantTo("arn:aws:iam::999988887777:role/x", "Decrypt")
                        .at(window(0))
                        .event());
        feed(call("DisableKeyRotation").by(ADMIN).key(LEGACY).at(window(0)).event());
        watermark(1);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts)
                .extracting(a -> a.detector + " " + a.keyArn + " " + a.severity)
                .containsExactlyInAnyOrder(
                        "kms_policy_change " + APP_DATA + " MEDIUM",
                        "kms_policy_change " + LEGACY + " MEDIUM");
        Alert grant = alerts.stream().filter(a -> a.keyArn.equals(APP_DATA)).findFirst().get();
        assertThat(grant.title)
                .isEqualTo(
                        "KMS key policy change on key/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b: grant to"
                                + " arn:aws:iam::444455556666:role/PartnerIngest for"
                                + " Decrypt,GenerateDataKey by role/KeyAdmin");
        assertThat(grant.evidence)
                .contains("\"mitre_attack\":\"T1098\"")
                .contains("\"other_account_id\":\"444455556666\"");
    }

    @Test
    void aKeyPolicyOpenedToAnotherAccountIsHigh() throws Exception {
        feed(
                call("PutKeyPolicy")
                        .by(KEY_ADMIN, "alice")
                        .key(APP_DATA)
                        .policyNaming(
                                "arn:aws:iam::111122223333:root,arn:aws:iam::444455556666:root")
                        .at(window(0))
                        .event());
        feed(
                call("PutKeyPolicy")
                        .by(KEY_ADMIN, "alice")
                        .key(S3_DATA)
                        .policyNaming("arn:aws:iam::111122223333:root,logs.amazonaws.com")
                        .at(window(0))
                        .event());
        params.trustedAccounts.add("555566667777");
        feed(
                call("PutKeyPolicy")
                        .by(KEY_ADMIN, "alice")
                        .key(LEGACY)
                        .policyNaming("arn:aws:iam::555566667777:root")
                        .at(window(0))
                        .event());
        watermark(1);
        assertThat(alerts(harness))
                .extracting(a -> a.keyArn + " " + a.severity)
                .containsExactlyInAnyOrder(
                        APP_DATA + " HIGH", S3_DATA + " MEDIUM", LEGACY + " MEDIUM");
    }

    @Test
    void customKeyStoreChangesNameTheAccountsKeyStores() throws Exception {
        feed(call("DisconnectCustomKeyStore").by(ADMIN).at(window(0)).event());
        watermark(1);
        assertThat(alerts(harness))
                .extracting(a -> a.detector + " " + a.title)
                .containsExactly(
                        "kms_policy_change KMS key policy change on"
                                + " custom-key-store:111122223333:us-east-1: custom key store:"
                                + " DisconnectCustomKeyStore by user/flowtrail-admin");
    }

    @Test
    void anotherAccountUsingTheKeyFiresUnlessTrusted() throws Exception {
        feed(
                spread(
                        0,
                        12,
                        i ->
                                call("Decrypt")
                                        .by(PARTNER_ROLE, "ingest")
                                        .key(APP_DATA)
                                        .from("203.0.113.45")));
        watermark(1);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.detector).isEqualTo("kms_cross_account");
        assertThat(a.severity).isEqualTo("HIGH");
        assertThat(a.principalArn).isEqualTo(PARTNER_ROLE);
        assertThat(a.observed).isEqualTo(12);
        assertThat(a.title)
                .isEqualTo(
                        "KMS key key/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b used by another account,"
                                + " 444455556666: 12 calls (Decrypt) by role/PartnerIngest");

        open();
        params.trustedAccounts.add(PARTNER);
        feed(spread(0, 12, i -> call("Decrypt").by(PARTNER_ROLE, "ingest").key(APP_DATA)));
        watermark(1);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void ongoingCrossAccountUseIsOneAlertPerSuppression() throws Exception {
        for (int w = 0; w < 14; w++) {
            feed(spread(w, 3, i -> call("Decrypt").by(PARTNER_ROLE, "ingest").key(APP_DATA)));
        }
        watermark(14);
        assertThat(alerts(harness))
                .extracting(a -> a.windowStart)
                .containsExactly(ms(window(0)), ms(window(12)));
    }

    @Test
    void privateCallsOutsideTheEndpointFire() throws Exception {
        // Stolen backup credentials used from the internet, and from inside without the endpoint.
        feed(
                call("GenerateDataKey")
                        .by(BACKUP, BACKUP_HOST)
                        .key(BACKUP_KEY)
                        .from("203.0.113.5")
                        .at(window(0))
                        .event());
        feed(
                call("Decrypt")
                        .by(BACKUP, BACKUP_HOST)
                        .key(APP_DATA)
                        .from("10.20.20.50")
                        .at(window(0))
                        .event());
        // Another principal on the private key, through the endpoint but from outside the ranges.
        feed(
                call("Decrypt")
                        .by(BATCH, BATCH_B)
                        .key(BACKUP_KEY)
                        .from("172.16.0.9")
                        .via(KMS_ENDPOINT)
                        .at(window(0))
                        .event());
        watermark(1);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts)
                .extracting(a -> a.detector + " " + a.principalArn + " " + a.keyArn)
                .containsExactlyInAnyOrder(
                        "kms_outside_vpc_endpoint " + BACKUP + " " + BACKUP_KEY,
                        "kms_outside_vpc_endpoint " + BACKUP + " " + APP_DATA,
                        "kms_outside_vpc_endpoint " + BATCH + " " + BACKUP_KEY);
        assertThat(alerts)
                .extracting(a -> a.title)
                .contains(
                        "Private KMS use outside its VPC endpoint: role/flowtrail-sample-backup on"
                                + " key/8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b, 1 call, no VPC"
                                + " endpoint")
                .contains(
                        "Private KMS use outside its VPC endpoint: role/flowtrail-sample-batch on"
                                + " key/8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b, 1 call, from"
                                + " 172.16.0.9, outside the allowed source ranges");
    }

    @Test
    void refusalsCountOnlyForPrivatePrincipals() throws Exception {
        // Somebody refused on the private key: the key policy working (the AccessDenied burst
        // detector watches refusals).
        feed(
                call("Decrypt")
                        .by(TestKms.DEV)
                        .key(BACKUP_KEY)
                        .from("203.0.113.99")
                        .denied()
                        .at(window(0))
                        .event());
        // The private role's credentials tried from the internet, and refused: the news is the try.
        feed(
                call("GenerateDataKey")
                        .by(BACKUP, BACKUP_HOST)
                        .key(APP_DATA)
                        .from("203.0.113.5")
                        .denied()
                        .at(window(0))
                        .event());
        watermark(1);
        List<Alert> alerts = alerts(harness);
        assertThat(alerts).extracting(a -> a.principalArn).containsExactly(BACKUP);
        assertThat(alerts.get(0).severity).isEqualTo("MEDIUM");
        assertThat(alerts.get(0).evidence)
                .contains("\"errors\":1")
                .contains("\"error_code\":\"AccessDenied\"");
    }

    @Test
    void onlyTheAllowedEndpointsCount() throws Exception {
        params.allowedVpcEndpoints.add(KMS_ENDPOINT);
        feed(
                call("GenerateDataKey")
                        .by(BACKUP, BACKUP_HOST)
                        .key(BACKUP_KEY)
                        .from("10.20.20.50")
                        .via("vpce-0ffffffffffffffff")
                        .at(window(0))
                        .event());
        watermark(1);
        assertThat(alerts(harness))
                .extracting(a -> a.title)
                .singleElement()
                .asString()
                .contains("through vpce-0ffffffffffffffff, not an allowed endpoint");
    }

    @Test
    void staysQuietOnTheSamplesEverydayTraffic() throws Exception {
        for (int w = 0; w < 12; w++) {
            feed(everyday(w));
        }
        // The key rotating itself, and a refused destruction, change nothing worth an alert.
        feed(call("RotateKey").key(S3_DATA).at(window(5)).serviceEvent().event());
        feed(
                call("DisableKey")
                        .by(WEB, "i-06cc3ba5031835d1d")
                        .key(APP_DATA)
                        .at(window(6))
                        .denied()
                        .event());
        watermark(13);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void outOfOrderInputWithinTheBoundGivesTheSameAlerts() throws Exception {
        List<KmsEvent> all = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            all.addAll(everyday(w));
            all.addAll(
                    spread(
                            w,
                            4,
                            i ->
                                    call("Decrypt")
                                            .by(PARTNER_ROLE, "s" + i)
                                            .key(APP_DATA)
                                            .from("203.0.113.4" + i)));
        }
        all.add(
                call("ScheduleKeyDeletion")
                        .by(ADMIN)
                        .key(LEGACY)
                        .at(window(1).plusSeconds(3))
                        .event());
        all.add(
                call("DisableKey")
                        .by(KEY_ADMIN, "alice")
                        .key(LEGACY)
                        .at(window(1).plusSeconds(3))
                        .event());
        all.add(
                call("GenerateDataKey")
                        .by(BACKUP, BACKUP_HOST)
                        .key(BACKUP_KEY)
                        .from("198.51.100.77")
                        .at(window(2))
                        .event());
        feed(all);
        watermark(5);
        List<Alert> inOrder = harness.extractOutputValues();

        open();
        Collections.shuffle(all, new Random(13));
        feed(all);
        watermark(5);
        assertThat(inOrder).hasSize(3);
        assertThat(TestKms.columns(harness.extractOutputValues()))
                .containsExactlyInAnyOrderElementsOf(TestKms.columns(inOrder));
    }

    @Test
    void openWindowsAndSuppressionSurviveASnapshotAndRestore() throws Exception {
        feed(spread(0, 3, i -> call("Decrypt").by(PARTNER_ROLE, "ingest").key(APP_DATA)));
        watermark(1); // alerted: quiet for an hour
        feed(
                call("ScheduleKeyDeletion")
                        .by(ADMIN)
                        .key(LEGACY)
                        .pendingDays(7)
                        .at(window(1))
                        .event());
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                                new KmsRuleDetector(FIVE_MINUTES, Duration.ofHours(1))),
                        new KmsRuleDetector.Key(),
                        Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        feed(spread(2, 3, i -> call("Decrypt").by(PARTNER_ROLE, "ingest").key(APP_DATA)));
        watermark(3);
        assertThat(alerts(harness))
                .extracting(a -> a.detector + " " + a.title)
                .containsExactly(
                        "kms_key_destruction KMS key destruction on"
                                + " key/c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f: deletion scheduled in"
                                + " 7 days by user/flowtrail-admin");
    }

    @Test
    void stateAndTimersAreGoneAfterTheSuppression() throws Exception {
        feed(spread(0, 3, i -> call("Decrypt").by(PARTNER_ROLE, "ingest").key(APP_DATA)));
        feed(call("ScheduleKeyDeletion").by(ADMIN).key(LEGACY).at(window(0)).event());
        watermark(1);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        watermark(12);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
