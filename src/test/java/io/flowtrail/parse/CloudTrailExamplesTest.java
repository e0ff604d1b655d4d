package io.flowtrail.parse;

import static io.flowtrail.parse.CloudTrailFiles.fixture;
import static io.flowtrail.parse.CloudTrailFiles.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowtrail.model.KmsEvent;
import io.flowtrail.parse.CloudTrailFiles.Read;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Every example record of FORMATS.md §2.8 (and the EventBridge envelope of §2.3), each a fixture
 * file exactly as printed there: a single pretty-printed record, read as one document.
 */
class CloudTrailExamplesTest {
    private static final String KEY =
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String ACCOUNT = "111122223333";

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void example1DecryptThatS3MadeForAnAssumedRoleIsChargedToTheRole() throws IOException {
        Path file = fixture("example-1-decrypt-by-s3-for-assumed-role.json");

        KmsEvent e = read(file).onlyKms();

        assertThat(e.eventTimeMillis).isEqualTo(at("2024-06-10T13:02:41Z"));
        assertThat(e.eventId).isEqualTo("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d");
        assertThat(e.eventName).isEqualTo("Decrypt");
        assertThat(e.eventType).isEqualTo("AwsApiCall");
        assertThat(e.region).isEqualTo("us-east-1");
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.keyAlias).isNull();
        assertThat(e.keyAccountId).isEqualTo(ACCOUNT);
        assertThat(e.principalType).isEqualTo("AssumedRole");
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:role/DataReader");
        assertThat(e.sessionName).isEqualTo("etl-job-4711");
        assertThat(e.callerAccountId).isEqualTo(ACCOUNT);
        assertThat(e.invokedBy).isEqualTo("s3.amazonaws.com");
        assertThat(e.sourceIp).isEqualTo("s3.amazonaws.com");
        assertThat(e.sourceIpIsAddress()).isFalse();
        assertThat(e.userAgent).isEqualTo("s3.amazonaws.com");
        assertThat(e.vpcEndpointId).isNull();
        assertThat(e.errorCode).isNull();
        assertThat(e.readOnly).isTrue();
        assertThat(e.managementEvent).isTrue();
        assertThat(e.encryptionContext)
                .isEqualTo(
                        "{\"aws:s3:arn\":\"arn:aws:s3:::example-data-bucket/raw/2024/06/10/part-0001.parquet\"}");
        assertThat(e.encryptionContextKeys).isEqualTo("aws:s3:arn");
        assertThat(e.isCrossAccount()).isFalse();
        assertThat(e.location()).isEqualTo(file + ":line 1");
    }

    @Test
    void example2AccessDeniedIsKeptWithItsErrorAndTheInstanceSession() throws IOException {
        KmsEvent e = read(fixture("example-2-decrypt-access-denied.json")).onlyKms();

        assertThat(e.errorCode).isEqualTo("AccessDenied");
        assertThat(e.isAccessDenied()).isTrue();
        assertThat(e.errorMessage)
                .startsWith("User: arn:aws:sts::111122223333:assumed-role/WebTier/");
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:role/WebTier");
        assertThat(e.sessionName).isEqualTo("i-0123456789abcdef0");
        assertThat(e.sourceIp).isEqualTo("10.0.1.15");
        assertThat(e.sourceIpIsAddress()).isTrue();
        assertThat(e.invokedBy).isNull();
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.eventTimeMillis).isEqualTo(at("2024-06-10T13:07:19Z"));
    }

    @Test
    void example3ScheduleKeyDeletionCarriesItsWaitingPeriodAndKeyState() throws IOException {
        KmsEvent e = read(fixture("example-3-schedule-key-deletion.json")).onlyKms();

        assertThat(e.eventName).isEqualTo("ScheduleKeyDeletion");
        assertThat(e.pendingWindowInDays).isEqualTo(7);
        assertThat(e.keyState).isEqualTo("PendingDeletion");
        assertThat(e.principalType).isEqualTo("IAMUser");
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:user/bob");
        assertThat(e.sessionName).isNull();
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.readOnly).isFalse();
        assertThat(e.sourceIp).isEqualTo("203.0.113.50");
    }

    @Test
    void example4PutKeyPolicyNamesThePrincipalsItsPolicyAllows() throws IOException {
        KmsEvent e = read(fixture("example-4-put-key-policy.json")).onlyKms();

        assertThat(e.eventName).isEqualTo("PutKeyPolicy");
        assertThat(e.policyPrincipals)
                .isEqualTo("arn:aws:iam::111122223333:root,arn:aws:iam::444455556666:root");
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:role/KeyAdmin");
        assertThat(e.sessionName).isEqualTo("alice");
        assertThat(e.keyArn).isEqualTo(KEY);
    }

    @Test
    void example5CreateGrantToAnotherAccountCarriesTheGrant() throws IOException {
        KmsEvent e = read(fixture("example-5-create-grant-cross-account.json")).onlyKms();

        assertThat(e.granteePrincipal).isEqualTo("arn:aws:iam::444455556666:role/PartnerIngest");
        assertThat(e.retiringPrincipal).isEqualTo("arn:aws:iam::444455556666:role/PartnerIngest");
        assertThat(e.grantOperations).isEqualTo("Decrypt,GenerateDataKey,DescribeKey");
        assertThat(e.grantId)
                .isEqualTo("0ab0ac0d0b0cd0e0f00e0a0b0c0d0e0f0a0b0c0d0e0f0a0b0c0d0e0f0a0b0c0d");
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.keyAccountId).isEqualTo(ACCOUNT);
    }

    @Test
    void example6DisableKeyRotation() throws IOException {
        KmsEvent e = read(fixture("example-6-disable-key-rotation.json")).onlyKms();

        assertThat(e.eventName).isEqualTo("DisableKeyRotation");
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:user/bob");
        assertThat(e.eventTimeMillis).isEqualTo(at("2024-06-10T16:45:10Z"));
    }

    @Test
    void example7ThroughAVpcEndpointKeepsTheAliasTheKeyFromResourcesAndTheEndpoint()
            throws IOException {
        KmsEvent e = read(fixture("example-7-generate-data-key-via-vpc-endpoint.json")).onlyKms();

        assertThat(e.keyAlias).isEqualTo("alias/orders-data");
        assertThat(e.keyArn)
                .isEqualTo(
                        "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321");
        assertThat(e.vpcEndpointId).isEqualTo("vpce-0a1b2c3d4e5f67890");
        assertThat(e.sourceIp).isEqualTo("10.0.8.31");
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:role/OrdersTaskRole");
        assertThat(e.sessionName).isEqualTo("orders-task");
        assertThat(e.encryptionContext).isEqualTo("{\"order-service\":\"v2\"}");
    }

    @Test
    void example8AutomaticRotationIsChargedToAwsInternal() throws IOException {
        KmsEvent e = read(fixture("example-8-rotate-key-service-event.json")).onlyKms();

        assertThat(e.eventName).isEqualTo("RotateKey");
        assertThat(e.eventType).isEqualTo("AwsServiceEvent");
        assertThat(e.principalType).isNull();
        assertThat(e.principalArn).isEqualTo("AWS Internal");
        assertThat(e.invokedBy).isEqualTo("AWS Internal");
        assertThat(e.callerAccountId).isEqualTo(ACCOUNT);
        assertThat(e.sourceIp).isEqualTo("AWS Internal");
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.eventTimeMillis).isEqualTo(at("2025-06-10T02:11:45Z"));
    }

    @Test
    void example9TheSchematicWrapperHasNoEventTimesSoItsTwoRecordsAreDeadLetters()
            throws IOException {
        Path file = fixture("example-9-trail-file-wrapper.json");

        Read read = read(file);

        assertThat(read.kms()).isEmpty();
        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(
                                file + ":Records[0]",
                                "missing eventTime: a CloudTrail record has eventTime (ISO-8601"
                                        + " UTC), eventName and eventSource"),
                        tuple(
                                file + ":Records[1]",
                                "missing eventTime: a CloudTrail record has eventTime (ISO-8601"
                                        + " UTC), eventName and eventSource"));
        assertThat(read.deadLetters().get(0).raw)
                .isEqualTo(
                        "{\"eventVersion\": \"1.11\", \"eventSource\": \"kms.amazonaws.com\","
                                + " \"eventName\": \"DisableKeyRotation\", \"...\": \"...\"}");
        assertThat(read.deadLetters().get(0).source).isEqualTo("cloudtrail");
        assertThat(read.recordsRead()).isEqualTo(2);
    }

    @Test
    void theEightExamplesInOneTrailFileAreNamedByTheirIndex() throws IOException {
        Path file = fixture("examples-1-to-8-records.json");

        Read read = read(file);

        assertThat(read.kms())
                .extracting(e -> e.eventName, KmsEvent::location)
                .containsExactly(
                        tuple("Decrypt", file + ":Records[0]"),
                        tuple("Decrypt", file + ":Records[1]"),
                        tuple("ScheduleKeyDeletion", file + ":Records[2]"),
                        tuple("PutKeyPolicy", file + ":Records[3]"),
                        tuple("CreateGrant", file + ":Records[4]"),
                        tuple("DisableKeyRotation", file + ":Records[5]"),
                        tuple("GenerateDataKey", file + ":Records[6]"),
                        tuple("RotateKey", file + ":Records[7]"));
        assertThat(read.kms()).allMatch(e -> e.origin == read.kms().get(0).origin);
        assertThat(read.recordsRead()).isEqualTo(8);
        // The same values as each example read alone.
        assertThat(read.kms().get(6).keyAlias).isEqualTo("alias/orders-data");
        assertThat(read.kms().get(4).grantOperations)
                .isEqualTo("Decrypt,GenerateDataKey,DescribeKey");
    }

    @Test
    void eventBridgeExampleCarriesTheRecordInDetail() throws IOException {
        Path file = fixture("eventbridge-disable-key.json");

        KmsEvent e = read(file).onlyKms();

        assertThat(e.eventName).isEqualTo("DisableKey");
        assertThat(e.keyAlias).isEqualTo("alias/app-data");
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:role/KeyAdmin");
        assertThat(e.sessionName).isEqualTo("alice");
        assertThat(e.eventId).isEqualTo("6c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f");
        assertThat(e.readOnly).isFalse();
        assertThat(e.location()).isEqualTo(file + ":line 1");
    }
}
