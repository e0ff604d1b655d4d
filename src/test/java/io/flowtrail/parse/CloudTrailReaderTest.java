package io.flowtrail.parse;

import static io.flowtrail.parse.CloudTrailFiles.bytes;
import static io.flowtrail.parse.CloudTrailFiles.fixture;
import static io.flowtrail.parse.CloudTrailFiles.gzip;
import static io.flowtrail.parse.CloudTrailFiles.gzipMembers;
import static io.flowtrail.parse.CloudTrailFiles.read;
import static io.flowtrail.parse.CloudTrailRecords.KEY;
import static io.flowtrail.parse.CloudTrailRecords.KEY_2;
import static io.flowtrail.parse.CloudTrailRecords.KEY_ID;
import static io.flowtrail.parse.CloudTrailRecords.assumedRole;
import static io.flowtrail.parse.CloudTrailRecords.ec2;
import static io.flowtrail.parse.CloudTrailRecords.keyResource;
import static io.flowtrail.parse.CloudTrailRecords.kms;
import static io.flowtrail.parse.CloudTrailRecords.lines;
import static io.flowtrail.parse.CloudTrailRecords.logFile;
import static io.flowtrail.parse.CloudTrailRecords.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.NetworkChangeEvent;
import io.flowtrail.parse.CloudTrailFiles.Read;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every delivery shape, recognised by content; principals and keys resolved; bad records as dead
 * letters that name their place and what was expected, while reading goes on.
 */
class CloudTrailReaderTest {
    private static final String FILE = "s3://trail/AWSLogs/111122223333/CloudTrail/f.json.gz";

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    // ------------------------------------------------------------ delivery shapes

    @Test
    void s3LogFileGzippedIsReadByContentWhateverItsName() throws IOException {
        byte[] plain = bytes("examples-1-to-8-records.json");

        Read read = read(gzip(plain), "trail-object-without-extension");

        assertThat(read.kms()).hasSize(8);
        assertThat(read.kms().get(0).location())
                .isEqualTo("trail-object-without-extension:Records[0]");
        assertThat(read.deadLetters()).isEmpty();
    }

    @Test
    void multiMemberGzipIsReadAcrossItsMembers() throws IOException {
        byte[] plain = bytes("examples-1-to-8-records.json");
        int cut = plain.length / 3;

        Read read =
                read(
                        gzipMembers(
                                Arrays.copyOfRange(plain, 0, cut),
                                Arrays.copyOfRange(plain, cut, plain.length)),
                        FILE);

        assertThat(read.kms())
                .extracting(e -> e.eventName)
                .containsExactly(
                        "Decrypt",
                        "Decrypt",
                        "ScheduleKeyDeletion",
                        "PutKeyPolicy",
                        "CreateGrant",
                        "DisableKeyRotation",
                        "GenerateDataKey",
                        "RotateKey");
    }

    @Test
    void digestFileIsSkippedWholeAndCounted() throws IOException {
        Read plain = read(fixture("digest-file.json"));
        Read gzipped = read(gzip(bytes("digest-file.json")), FILE);

        for (Read read : List.of(plain, gzipped)) {
            assertThat(read.all()).isEmpty();
            assertThat(read.digestFilesSkipped()).isEqualTo(1);
            assertThat(read.recordsRead()).isZero();
        }
    }

    @Test
    void jsonLinesAreReadLineByLineAndEveryRecordIsAccountedFor() throws IOException {
        Path file = fixture("json-lines-mixed.jsonl");

        Read read = read(file);

        assertThat(read.all())
                .extracting(
                        e ->
                                e.isKms()
                                        ? "kms " + e.kms.location()
                                        : e.isNetworkChange()
                                                ? "network " + e.networkChange.location()
                                                : "dead " + e.deadLetter.location)
                .containsExactly(
                        "kms " + file + ":line 1",
                        "kms " + file + ":line 2",
                        "kms " + file + ":line 3",
                        "network " + file + ":line 6",
                        "dead " + file + ":line 7 (byte " + errorOffsetOfLine7(file) + ")",
                        "dead " + file + ":line 8",
                        "dead " + file + ":line 9",
                        "dead " + file + ":line 10",
                        "kms " + file + ":line 11",
                        "kms " + file + ":line 13");
        // Lines 5 (sts AssumeRole) and 12 (ec2 DescribeInstances) are other events.
        assertThat(read.otherEventsSkipped()).isEqualTo(2);
        assertThat(read.recordsRead()).isEqualTo(12);
        assertThat(read.recordsRead())
                .isEqualTo(
                        read.kms().size()
                                + read.networkChanges().size()
                                + read.deadLetters().size()
                                + read.otherEventsSkipped());
    }

    /** Where Jackson stops on line 7: the second string that follows without a comma. */
    private static long errorOffsetOfLine7(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int lineStart = 0;
        for (int i = 1; i < 7; i++) {
            lineStart = text.indexOf('\n', lineStart) + 1;
        }
        return lineStart + text.substring(lineStart).indexOf(" \"eventName\"") + 2;
    }

    @Test
    void jsonLinesDeadLettersSayWhatWasExpected() throws IOException {
        Path file = fixture("json-lines-mixed.jsonl");

        List<DeadLetter> dead = read(file).deadLetters();

        assertThat(dead)
                .extracting(d -> d.reason)
                .containsExactly(
                        "malformed JSON: Unexpected character ('\"' (code 34)): was expecting"
                                + " comma to separate Object entries",
                        "missing eventTime: a CloudTrail record has eventTime (ISO-8601 UTC),"
                                + " eventName and eventSource",
                        "eventTime: expected an ISO-8601 UTC time like 2026-11-02T10:45:12Z, got"
                                + " a number",
                        "userIdentity: expected an object, got a string");
        assertThat(dead.get(0).raw).startsWith("{\"eventVersion\":\"1.11\",\"eventTime\"");
        assertThat(dead.get(0).raw).endsWith("\"eventName\":\"Decrypt\"}");
        // A record whose time is known keeps it, for its partition.
        assertThat(dead.get(3).recordTimeMillis).isEqualTo(at("2026-11-02T10:00:10Z"));
        assertThat(dead.get(1).recordTimeMillis).isEqualTo(-1L);
        assertThat(dead).allMatch(d -> d.source.equals("cloudtrail"));
    }

    @Test
    void singleRecordMessageIsNamedByItsLine() throws IOException {
        byte[] message = lines(kms("Decrypt", "2026-11-02T10:45:12Z"));

        Read read = read(message, "cloudtrail-events/partition 3 offset 17");

        assertThat(read.onlyKms().location())
                .isEqualTo("cloudtrail-events/partition 3 offset 17:line 1");
    }

    @Test
    void eventBridgeEnvelopesCarryTheRecordAndOtherDetailTypesAreCountedAsOtherEvents()
            throws IOException {
        Path file = fixture("eventbridge-lines.jsonl");

        Read read = read(file);

        KmsEvent e = read.onlyKms();
        assertThat(e.eventName).isEqualTo("ScheduleKeyDeletion");
        assertThat(e.pendingWindowInDays).isEqualTo(7);
        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.location()).isEqualTo(file + ":line 1");
        assertThat(read.otherEventsSkipped()).isEqualTo(1);
        assertThat(read.recordsRead()).isEqualTo(2);
        assertThat(read.warnings())
                .containsExactly(
                        file
                                + ": EventBridge events with detail-type 'KMS CMK Rotation' are"
                                + " not CloudTrail records; counted with the other events and"
                                + " skipped");
    }

    @Test
    void cloudWatchPayloadSkipsTheControlMessageAndNamesEnvelopeAndEvent() throws IOException {
        Path file = fixture("cloudwatch-payload-with-control-message.json");

        Read read = read(file);

        assertThat(read.controlMessagesSkipped()).isEqualTo(1);
        assertThat(read.all())
                .extracting(
                        e -> e.isKms() ? e.kms.location() : e.deadLetter.location,
                        e -> e.isKms() ? e.kms.eventName : e.deadLetter.reason)
                .containsExactly(
                        tuple(file + ":envelope 2 event 1", "Decrypt"),
                        tuple(
                                file + ":envelope 2 event 2",
                                "malformed JSON in the message at byte 58: Unexpected"
                                        + " end-of-input within/between Object entries"),
                        tuple(file + ":envelope 2 event 3", "GenerateDataKey"));
        assertThat(read.deadLetters().get(0).raw)
                .isEqualTo("{\"eventVersion\":\"1.11\",\"eventTime\":\"2026-11-02T10:01:01Z\",");
        assertThat(read.otherEventsSkipped()).isEqualTo(1);
        assertThat(read.recordsRead()).isEqualTo(4);
    }

    @Test
    void cloudWatchPayloadsAsFirehoseWritesThemGzipMemberPerEnvelope() throws IOException {
        String text = Files.readString(fixture("cloudwatch-payload-with-control-message.json"));
        int second = text.indexOf("{\"messageType\":\"DATA_MESSAGE\"");
        byte[] object =
                gzipMembers(
                        text.substring(0, second).getBytes(StandardCharsets.UTF_8),
                        text.substring(second).getBytes(StandardCharsets.UTF_8));

        Read read = read(object, FILE);

        assertThat(read.controlMessagesSkipped()).isEqualTo(1);
        assertThat(read.kms())
                .extracting(KmsEvent::location)
                .containsExactly(FILE + ":envelope 2 event 1", FILE + ":envelope 2 event 3");
    }

    @Test
    void topLevelArrayOfRecordsIsReadLikeARecordsArray() throws IOException {
        String two =
                "["
                        + kms("Decrypt", "2026-11-02T10:00:00Z")
                        + ",\n"
                        + kms("Encrypt", "2026-11-02T10:00:01Z")
                        + "]";

        Read read = read(two.getBytes(StandardCharsets.UTF_8), FILE);

        assertThat(read.kms())
                .extracting(KmsEvent::location)
                .containsExactly(FILE + ":[0]", FILE + ":[1]");
    }

    @Test
    void prettyPrintedRecordsOneAfterAnotherAreNamedByTheLineTheyStartOn() throws IOException {
        String pretty =
                kms("Decrypt", "2026-11-02T10:00:00Z").toPrettyString()
                        + "\n"
                        + kms("Encrypt", "2026-11-02T10:00:01Z").toPrettyString()
                        + "\n";
        int secondLine = (int) pretty.lines().takeWhile(l -> !l.equals("}")).count() + 2;

        Read read = read(pretty.getBytes(StandardCharsets.UTF_8), FILE);

        assertThat(read.kms())
                .extracting(KmsEvent::location)
                .containsExactly(FILE + ":line 1", FILE + ":line " + secondLine);
    }

    @Test
    void emptyInputHasNothing() throws IOException {
        Read read = read(new byte[0], FILE);

        assertThat(read.all()).isEmpty();
        assertThat(read.recordsRead()).isZero();
    }

    @Test
    void fieldsInAnyOrderGiveTheSameEvents() throws IOException {
        JsonNode file = CloudTrailRecords.JSON.readTree(bytes("examples-1-to-8-records.json"));
        Random random = new Random(7);
        List<JsonNode> shuffled = new ArrayList<>();
        for (JsonNode r : file.path("Records")) {
            shuffled.add(shuffle((ObjectNode) r, random));
        }

        List<KmsEvent> canonical = read(fixture("examples-1-to-8-records.json")).kms();
        List<KmsEvent> reordered =
                read(
                                logFile(shuffled.toArray(new JsonNode[0])),
                                fixture("examples-1-to-8-records.json").toString())
                        .kms();

        assertThat(reordered).hasSize(8).isEqualTo(canonical);
    }

    /** The same object with its fields, and those of its objects, in a random order. */
    private static ObjectNode shuffle(ObjectNode node, Random random) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        Collections.shuffle(names, random);
        ObjectNode out = CloudTrailRecords.JSON.createObjectNode();
        for (String name : names) {
            JsonNode value = node.get(name);
            out.set(name, value.isObject() ? shuffle((ObjectNode) value, random) : value);
        }
        return out;
    }

    @Test
    void sourceIpIsAnAddressOrAServiceName() throws IOException {
        ObjectNode v6 = kms("Decrypt", "2026-11-02T10:00:00Z");
        v6.put("sourceIPAddress", "2001:db8:20:11::40");
        ObjectNode internal = kms("Decrypt", "2026-11-02T10:00:00Z");
        internal.put("sourceIPAddress", "AWS Internal");

        Read read = read(lines(v6, internal), FILE);

        assertThat(read.kms()).extracting(KmsEvent::sourceIpIsAddress).containsExactly(true, false);
    }

    // ------------------------------------------------------------ broken input

    @Test
    void brokenJsonInALogFileIsOneDeadLetterForTheRestOfTheFile() throws IOException {
        Path file = fixture("records-broken-at-2.json");

        Read read = read(file);

        assertThat(read.kms())
                .extracting(KmsEvent::location)
                .containsExactly(file + ":Records[0]", file + ":Records[1]");
        DeadLetter dead = read.deadLetters().get(0);
        assertThat(read.deadLetters()).hasSize(1);
        assertThat(dead.location).matches(".*:Records\\[2\\] \\(byte \\d+\\)");
        assertThat(dead.reason)
                .startsWith("malformed JSON: ")
                .endsWith("; the rest of the input cannot be trusted and is not read");
        assertThat(dead.raw)
                .startsWith("{\"eventVersion\":\"1.11\",\"userIdentity\":{\"type\":\"IAMUser\"");
        assertThat(read.recordsRead()).isEqualTo(3);
    }

    @Test
    void badRecordsInALogFileAreDeadLettersAndTheFileGoesOn() throws IOException {
        Path file = fixture("records-bad-records.json");

        Read read = read(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(file + ":Records[0]", "resources: expected an array, got an object"),
                        tuple(
                                file + ":Records[1]",
                                "expected a CloudTrail record (a JSON object), got a number"),
                        tuple(
                                file + ":Records[2]",
                                "missing eventName: a CloudTrail record has eventTime (ISO-8601"
                                        + " UTC), eventName and eventSource"),
                        tuple(
                                file + ":Records[3]",
                                "eventTime: expected an ISO-8601 UTC time like"
                                        + " 2026-11-02T10:45:12Z, got '2026-11-02 10:00:00'"));
        assertThat(read.kms()).extracting(KmsEvent::location).containsExactly(file + ":Records[4]");
        assertThat(read.recordsRead()).isEqualTo(5);
    }

    @Test
    void gzipCutShortIsADeadLetterNotACrash() throws IOException {
        byte[] whole = gzip(bytes("examples-1-to-8-records.json"));
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);

        Read read = read(cut, FILE);

        assertThat(read.deadLetters()).hasSize(1);
        assertThat(read.deadLetters().get(0).reason)
                .contains("the rest of the input")
                .satisfiesAnyOf(
                        r -> assertThat(r).startsWith("malformed JSON"),
                        r -> assertThat(r).startsWith("the input is cut short"));
        assertThat(read.recordsRead()).isEqualTo(read.kms().size() + 1);
    }

    @Test
    void gzippedJsonLinesCutShortKeepTheLinesBeforeTheCut() throws IOException {
        ObjectNode[] records = new ObjectNode[2000];
        for (int i = 0; i < records.length; i++) {
            records[i] = kms("Decrypt", "2026-11-02T10:00:00Z");
            records[i].put("eventID", "e-" + i + "-" + "x".repeat(i % 97));
        }
        byte[] whole = gzip(lines(records));
        byte[] cut = Arrays.copyOf(whole, whole.length * 3 / 4);

        Read read = read(cut, FILE);

        assertThat(read.kms()).isNotEmpty();
        assertThat(read.deadLetters()).hasSize(1);
        DeadLetter dead = read.deadLetters().get(0);
        assertThat(dead.location).startsWith(FILE + ":line ");
        assertThat(dead.reason).startsWith("the input is cut short or is not valid gzip: ");
        assertThat(read.recordsRead()).isEqualTo(read.kms().size() + 1);
    }

    @Test
    void textThatIsNotJsonIsADeadLetter() throws IOException {
        Read read = read("2 111122223333 eni-0a1b 10.0.0.1 10.0.0.2\n".getBytes(), FILE);

        assertThat(read.deadLetters())
                .extracting(d -> d.location)
                .containsExactly(FILE + ":line 1 (byte 0)");
        assertThat(read.deadLetters().get(0).reason)
                .isEqualTo(
                        "expected a JSON object (a CloudTrail log file, record or envelope), got"
                                + " a number; the rest of the input is not read");
        assertThat(read.deadLetters().get(0).raw)
                .isEqualTo("2 111122223333 eni-0a1b 10.0.0.1 10.0.0.2\n");
    }

    @Test
    void aDeadLetterQuotesAtMost2048BytesOfItsRecordEvenFarIntoALargeFile() throws IOException {
        ObjectNode[] records = new ObjectNode[3001];
        for (int i = 0; i < records.length; i++) {
            records[i] = kms("Decrypt", "2026-11-02T10:00:00Z");
            records[i].set("resources", parse("[" + keyResource(KEY) + "]"));
        }
        ObjectNode bad = records[2500];
        bad.put("errorMessage", "x".repeat(5000));
        bad.put("readOnly", "sometimes");

        Read read = read(logFile(records), FILE);

        DeadLetter dead = read.deadLetters().get(0);
        assertThat(read.deadLetters()).hasSize(1);
        assertThat(dead.location).isEqualTo(FILE + ":Records[2500]");
        assertThat(dead.reason).isEqualTo("readOnly: expected true or false, got 'sometimes'");
        String expected = bad.toString().substring(0, DeadLetter.RAW_MAX_BYTES);
        assertThat(dead.raw).isEqualTo(expected + "…[truncated]");
        assertThat(read.kms()).hasSize(3000);
    }

    @Test
    void aShortBadRecordIsQuotedWhole() throws IOException {
        ObjectNode bad = kms("Decrypt", "2026-11-02T10:00:00Z");
        bad.put("managementEvent", 3);

        Read read = read(logFile(kms("Encrypt", "2026-11-02T10:00:00Z"), bad), FILE);

        assertThat(read.deadLetters()).extracting(d -> d.raw).containsExactly(bad.toString());
    }

    // ------------------------------------------------------------ principals

    @Test
    void assumedRoleIsChargedToItsRoleAndNamesItsSession() throws IOException {
        ObjectNode r = kms("GenerateDataKey", "2026-11-02T10:00:00Z");
        r.set(
                "userIdentity",
                assumedRole("111122223333", "flowtrail-sample-web", "i-06cc3ba5031835d1d"));

        KmsEvent e = read(lines(r), FILE).onlyKms();

        assertThat(e.principalType).isEqualTo("AssumedRole");
        assertThat(e.principalArn).isEqualTo("arn:aws:iam::111122223333:role/flowtrail-sample-web");
        assertThat(e.sessionName).isEqualTo("i-06cc3ba5031835d1d");
        assertThat(e.callerAccountId).isEqualTo("111122223333");
    }

    @Test
    void assumedRoleWithoutSessionIssuerHasItsRoleDerivedFromTheSessionArn() throws IOException {
        Read read = read(fixture("json-lines-mixed.jsonl"));

        KmsEvent partner = read.kms().get(1);

        assertThat(partner.principalArn).isEqualTo("arn:aws:iam::444455556666:role/PartnerIngest");
        assertThat(partner.sessionName).isEqualTo("ingest-7");
        assertThat(partner.callerAccountId).isEqualTo("444455556666");
        assertThat(partner.keyAccountId).isEqualTo("111122223333");
        assertThat(partner.isCrossAccount()).isTrue();
        assertThat(partner.sharedEventId).isEqualTo("5e000000-0000-4000-8000-000000000002");
        assertThat(partner.eventTimeMillis).isEqualTo(at("2026-11-02T10:00:02.250Z"));
        assertThat(partner.encryptionContext)
                .isEqualTo(
                        "{\"tenant\":\"partner-a\",\"aws:s3:arn\":\"arn:aws:s3:::partner-bucket/x\"}");
        assertThat(partner.encryptionContextKeys).isEqualTo("aws:s3:arn,tenant");
    }

    @Test
    void iamUserAwsServiceAndRootPrincipals() throws IOException {
        List<KmsEvent> kms = read(fixture("json-lines-mixed.jsonl")).kms();

        assertThat(kms)
                .extracting(e -> e.principalType, e -> e.principalArn, e -> e.callerAccountId)
                .containsExactly(
                        tuple("IAMUser", "arn:aws:iam::111122223333:user/bob", "111122223333"),
                        tuple(
                                "AssumedRole",
                                "arn:aws:iam::444455556666:role/PartnerIngest",
                                "444455556666"),
                        tuple("AWSService", "s3.amazonaws.com", null),
                        tuple("IAMUser", "arn:aws:iam::111122223333:user/bob", "111122223333"),
                        tuple("Root", "arn:aws:iam::111122223333:root", "111122223333"));
        assertThat(kms.get(2).sourceIp).isEqualTo("s3.amazonaws.com");
        assertThat(kms.get(2).sourceIpIsAddress()).isFalse();
    }

    @Test
    void rootWithoutArnAndAnotherAccountGetTheirAccountRootArn() throws IOException {
        ObjectNode root = kms("Decrypt", "2026-11-02T10:00:00Z");
        root.set("userIdentity", parse("{\"type\":\"Root\",\"accountId\":\"111122223333\"}"));
        ObjectNode other = kms("Decrypt", "2026-11-02T10:00:00Z");
        other.set(
                "userIdentity",
                parse(
                        "{\"type\":\"AWSAccount\",\"principalId\":\"AIDAX\",\"accountId\":\"444455556666\"}"));

        Read read = read(lines(root, other), FILE);

        assertThat(read.kms())
                .extracting(e -> e.principalArn)
                .containsExactly(
                        "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root");
    }

    // ------------------------------------------------------------ keys

    @Test
    void keyFromResourcesWinsOverTheAliasTheCallerUsed() throws IOException {
        ObjectNode r = kms("Decrypt", "2026-11-02T10:00:00Z");
        r.set("requestParameters", parse("{\"keyId\":\"alias/app-data\"}"));
        r.set("resources", parse("[" + keyResource(KEY) + "]"));

        KmsEvent e = read(lines(r), FILE).onlyKms();

        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.keyAlias).isEqualTo("alias/app-data");
        assertThat(e.keyAccountId).isEqualTo("111122223333");
    }

    @Test
    void keyFromRequestParametersAsArnOrAsBareIdCompletedWithRegionAndAccount() throws IOException {
        ObjectNode byArn = kms("Decrypt", "2026-11-02T10:00:00Z");
        byArn.set("requestParameters", parse("{\"keyId\":\"" + KEY_2 + "\"}"));
        ObjectNode byId = kms("Decrypt", "2026-11-02T10:00:00Z");
        byId.set("requestParameters", parse("{\"keyId\":\"" + KEY_ID + "\"}"));
        ObjectNode byAliasArn = kms("Decrypt", "2026-11-02T10:00:00Z");
        byAliasArn.set(
                "requestParameters",
                parse("{\"keyId\":\"arn:aws:kms:us-east-1:111122223333:alias/app-data\"}"));

        Read read = read(lines(byArn, byId, byAliasArn), FILE);

        assertThat(read.kms())
                .extracting(e -> e.keyArn, e -> e.keyAlias)
                .containsExactly(
                        tuple(KEY_2, null),
                        tuple(KEY, null),
                        tuple(null, "arn:aws:kms:us-east-1:111122223333:alias/app-data"));
    }

    @Test
    void reEncryptNamesSourceAndDestinationKeys() throws IOException {
        ObjectNode r = kms("ReEncrypt", "2026-11-02T10:00:00Z");
        r.set("resources", parse("[" + keyResource(KEY) + "," + keyResource(KEY_2) + "]"));

        KmsEvent e = read(lines(r), FILE).onlyKms();

        assertThat(e.keyArn).isEqualTo(KEY);
        assertThat(e.destinationKeyArn).isEqualTo(KEY_2);
    }

    @Test
    void keyManagementCallsWithoutResourcesTakeTheKeyFromTheResponse() throws IOException {
        ObjectNode createKey = kms("CreateKey", "2026-11-02T10:00:00Z");
        createKey.set(
                "responseElements",
                parse(
                        "{\"keyMetadata\":{\"keyId\":\""
                                + KEY_ID
                                + "\",\"arn\":\""
                                + KEY
                                + "\",\"keyState\":\"Enabled\"}}"));
        ObjectNode createAlias = kms("CreateAlias", "2026-11-02T10:00:01Z");
        createAlias.set(
                "requestParameters",
                parse("{\"aliasName\":\"alias/backup\",\"targetKeyId\":\"" + KEY_ID + "\"}"));
        ObjectNode rotation = kms("EnableKeyRotation", "2026-11-02T10:00:02Z");
        rotation.set(
                "requestParameters",
                parse("{\"keyId\":\"" + KEY_ID + "\",\"rotationPeriodInDays\":180}"));
        ObjectNode deleteKey = kms("DeleteKey", "2026-11-02T10:00:03Z");
        deleteKey.set(
                "userIdentity",
                parse("{\"accountId\":\"111122223333\",\"invokedBy\":\"AWS Internal\"}"));
        deleteKey.set("serviceEventDetails", parse("{\"keyId\":\"" + KEY_ID + "\"}"));
        deleteKey.put("eventType", "AwsServiceEvent");

        Read read = read(lines(createKey, createAlias, rotation, deleteKey), FILE);

        assertThat(read.kms())
                .extracting(e -> e.eventName, e -> e.keyArn, e -> e.keyAlias)
                .containsExactly(
                        tuple("CreateKey", KEY, null),
                        tuple("CreateAlias", KEY, "alias/backup"),
                        tuple("EnableKeyRotation", KEY, null),
                        tuple("DeleteKey", KEY, null));
        assertThat(read.kms().get(0).keyState).isEqualTo("Enabled");
        assertThat(read.kms().get(2).rotationPeriodInDays).isEqualTo(180);
        assertThat(read.kms().get(3).principalArn).isEqualTo("AWS Internal");
    }

    @Test
    void vpcEndpointIdIsKeptOnlyWhenItIsAnEndpoint() throws IOException {
        ObjectNode viaEndpoint = kms("Decrypt", "2026-11-02T10:00:00Z");
        viaEndpoint.put("vpcEndpointId", "vpce-0a1b2c3d4e5f67890");
        viaEndpoint.put("sourceIPAddress", "10.20.20.50");
        ObjectNode internal = kms("Decrypt", "2026-11-02T10:00:00Z");
        internal.put("vpcEndpointId", "AWS Internal");

        Read read = read(lines(viaEndpoint, internal), FILE);

        assertThat(read.kms())
                .extracting(e -> e.vpcEndpointId, e -> e.sourceIp)
                .containsExactly(
                        tuple("vpce-0a1b2c3d4e5f67890", "10.20.20.50"),
                        tuple(null, "203.0.113.50"));
    }

    // ------------------------------------------------------------ EC2 network changes

    @Test
    void naclEntryCreationIsTypedWithItsRule() throws IOException {
        Path file = fixture("json-lines-mixed.jsonl");

        NetworkChangeEvent n = read(file).networkChanges().get(0);

        assertThat(n.eventName).isEqualTo("CreateNetworkAclEntry");
        assertThat(n.eventTimeMillis).isEqualTo(at("2026-11-02T10:34:40Z"));
        assertThat(n.accountId).isEqualTo("111122223333");
        assertThat(n.region).isEqualTo("us-east-1");
        assertThat(n.principalArn).isEqualTo("arn:aws:iam::111122223333:root");
        assertThat(n.networkAclId).isEqualTo("acl-06cc6be1805fdf179");
        assertThat(n.ruleNumber).isEqualTo(90);
        assertThat(n.egress).isFalse();
        assertThat(n.ruleAction).isEqualTo("deny");
        assertThat(n.protocol).isEqualTo("6");
        assertThat(n.cidrBlock).isEqualTo("10.20.11.0/24");
        assertThat(n.fromPort).isEqualTo(5432);
        assertThat(n.toPort).isEqualTo(5432);
        assertThat(n.requestParameters)
                .isEqualTo(
                        "{\"networkAclId\":\"acl-06cc6be1805fdf179\",\"ruleNumber\":90,\"egress\":false,"
                                + "\"ruleAction\":\"deny\",\"icmpTypeCode\":{},\"portRange\":{\"from\":5432,"
                                + "\"to\":5432},\"aclProtocol\":\"6\",\"cidrBlock\":\"10.20.11.0/24\"}");
        assertThat(n.errorCode).isNull();
        assertThat(n.location()).isEqualTo(file + ":line 6");
    }

    @Test
    void securityGroupAndInterfaceChangesNameWhatTheyChanged() throws IOException {
        ObjectNode authorize =
                ec2(
                        "AuthorizeSecurityGroupIngress",
                        "2026-11-02T10:00:00Z",
                        "{\"groupId\":\"sg-07ea3ef27e2e90528\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":"
                                + "\"tcp\",\"fromPort\":22,\"toPort\":22,\"groups\":{},\"ipRanges\":{\"items\":"
                                + "[{\"cidrIp\":\"0.0.0.0/0\"}]},\"ipv6Ranges\":{},\"prefixListIds\":{}}]}}");
        ObjectNode modify =
                ec2(
                        "ModifySecurityGroupRules",
                        "2026-11-02T10:00:01Z",
                        "{\"ModifySecurityGroupRulesRequest\":{\"GroupId\":\"sg-05c3981a844ab26d8\","
                                + "\"SecurityGroupRule\":{\"SecurityGroupRuleId\":\"sgr-0123\"}}}");
        ObjectNode create =
                ec2(
                        "CreateSecurityGroup",
                        "2026-11-02T10:00:02Z",
                        "{\"groupName\":\"x\",\"groupDescription\":\"x\",\"vpcId\":\"vpc-0f1a2b3c4d5e6f701\"}");
        create.set("responseElements", parse("{\"_return\":true,\"groupId\":\"sg-0new\"}"));
        ObjectNode eni =
                ec2(
                        "ModifyNetworkInterfaceAttribute",
                        "2026-11-02T10:00:03Z",
                        "{\"networkInterfaceId\":\"eni-0c4b11609cef605c9\",\"groupSet\":{\"items\":"
                                + "[{\"groupId\":\"sg-07b81e5e0309e6043\"}]}}");
        ObjectNode denied =
                ec2(
                        "DeleteNetworkAclEntry",
                        "2026-11-02T10:00:04Z",
                        "{\"networkAclId\":\"acl-06cc6be1805fdf179\",\"ruleNumber\":90,\"egress\":false}");
        denied.put("errorCode", "Client.UnauthorizedOperation");
        denied.put("errorMessage", "You are not authorized to perform this operation.");

        Read read = read(logFile(authorize, modify, create, eni, denied), FILE);

        assertThat(read.networkChanges())
                .extracting(
                        n -> n.eventName, n -> n.groupId, n -> n.networkInterfaceId, n -> n.vpcId)
                .containsExactly(
                        tuple("AuthorizeSecurityGroupIngress", "sg-07ea3ef27e2e90528", null, null),
                        tuple("ModifySecurityGroupRules", "sg-05c3981a844ab26d8", null, null),
                        tuple("CreateSecurityGroup", "sg-0new", null, "vpc-0f1a2b3c4d5e6f701"),
                        tuple(
                                "ModifyNetworkInterfaceAttribute",
                                null,
                                "eni-0c4b11609cef605c9",
                                null),
                        tuple("DeleteNetworkAclEntry", null, null, null));
        NetworkChangeEvent failed = read.networkChanges().get(4);
        assertThat(failed.networkAclId).isEqualTo("acl-06cc6be1805fdf179");
        assertThat(failed.ruleNumber).isEqualTo(90);
        assertThat(failed.errorCode).isEqualTo("Client.UnauthorizedOperation");
        assertThat(failed.failed()).isTrue();
        assertThat(read.networkChanges().get(0).requestParameters)
                .contains("\"cidrIp\":\"0.0.0.0/0\"");
        assertThat(read.networkChanges().get(0).principalArn)
                .isEqualTo("arn:aws:iam::111122223333:user/bob");
    }

    @Test
    void otherServicesAndOtherEc2CallsAreCountedNotReturned() throws IOException {
        ObjectNode s3 = kms("GetObject", "2026-11-02T10:00:00Z");
        s3.put("eventSource", "s3.amazonaws.com");
        s3.put("eventCategory", "Data");
        s3.set("userIdentity", parse("\"not even an object\""));
        ObjectNode describe = ec2("DescribeInstances", "2026-11-02T10:00:01Z", "{}");
        ObjectNode decrypt = kms("Decrypt", "2026-11-02T10:00:02Z");

        Read read = read(logFile(s3, describe, decrypt), FILE);

        assertThat(read.all()).hasSize(1);
        assertThat(read.onlyKms().eventName).isEqualTo("Decrypt");
        assertThat(read.otherEventsSkipped()).isEqualTo(2);
        assertThat(read.recordsRead()).isEqualTo(3);
    }
}
