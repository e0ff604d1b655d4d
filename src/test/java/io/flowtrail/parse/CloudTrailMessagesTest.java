package io.flowtrail.parse;

import static io.flowtrail.parse.CloudTrailFiles.bytes;
import static io.flowtrail.parse.CloudTrailFiles.gzip;
import static io.flowtrail.parse.CloudTrailRecords.JSON;
import static io.flowtrail.parse.CloudTrailRecords.KEY;
import static io.flowtrail.parse.CloudTrailRecords.kms;
import static io.flowtrail.parse.CloudTrailRecords.logFile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CloudTrail as Kafka messages: each of the three shapes a topic carries (a single event, an
 * EventBridge envelope, a whole S3 log file, plain or gzip) read by the file reader, and each
 * malformation a dead letter located by topic, partition and offset, with its reason.
 */
class CloudTrailMessagesTest {
    static final String AT = "topic cloudtrail partition 1 offset 42";

    final CloudTrailMessages messages = new CloudTrailMessages();

    List<CloudTrailEvent> read(byte[] message) {
        List<CloudTrailEvent> out = new ArrayList<>();
        messages.read(message, AT, out::add);
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(JsonNode n) {
        return utf8(n.toString());
    }

    static ObjectNode envelope(String detailType, JsonNode detail) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", "b6f0c2a1-4d7e-4a51-9b1e-2f6c0d9e7a11");
        e.put("detail-type", detailType);
        e.put("source", "aws.kms");
        e.put("account", "111122223333");
        e.put("time", "2026-11-02T10:12:00Z");
        e.put("region", "us-east-1");
        e.putArray("resources");
        e.set("detail", detail);
        return e;
    }

    static ObjectNode decrypt() {
        ObjectNode r = kms("Decrypt", "2026-11-02T10:12:00Z");
        r.putArray("resources").add(CloudTrailRecords.keyResource(KEY));
        return r;
    }

    // ------------------------------------------------------------ the three shapes

    @Test
    void aSingleEventIsOneKmsEventLocatedByItsMessage() {
        List<CloudTrailEvent> events = read(json(decrypt()));

        assertThat(events).hasSize(1);
        assertThat(events.get(0).kms.eventName).isEqualTo("Decrypt");
        assertThat(events.get(0).kms.keyArn).isEqualTo(KEY);
        assertThat(events.get(0).kms.location()).isEqualTo(AT + ":line 1");
    }

    @Test
    void anEventBridgeEnvelopeOfAnApiCallCarriesItsEventInDetail() {
        List<CloudTrailEvent> events =
                read(json(envelope("AWS API Call via CloudTrail", decrypt())));

        assertThat(events).extracting(e -> e.kms.eventName).containsExactly("Decrypt");
        assertThat(events.get(0).kms.location()).isEqualTo(AT + ":line 1");
    }

    @Test
    void anEventBridgeEnvelopeOfAServiceEventCarriesItsEventInDetail() {
        JsonNode rotate =
                CloudTrailRecords.parse(
                        new String(
                                bytes("example-8-rotate-key-service-event.json"),
                                StandardCharsets.UTF_8));

        List<CloudTrailEvent> events =
                read(json(envelope("AWS Service Event via CloudTrail", rotate)));

        assertThat(events).extracting(e -> e.kms.eventName).containsExactly("RotateKey");
    }

    @Test
    void kmsOwnEventBridgeEventsAreSkippedAndCountedNotDeadLetters() {
        ObjectNode rotation =
                envelope(
                        "KMS CMK Rotation",
                        JSON.createObjectNode()
                                .put("key-id", "1234abcd-12ab-34cd-56ef-1234567890ab"));

        assertThat(read(json(rotation))).isEmpty();
        assertThat(messages.skipped()).isEqualTo(1);
    }

    @Test
    void aWholeS3LogFileIsEveryRecordNamedByItsIndex() {
        List<CloudTrailEvent> events =
                read(logFile(decrypt(), kms("GenerateDataKey", "2026-11-02T10:13:00Z")));

        assertThat(events)
                .extracting(e -> e.kms.eventName)
                .containsExactly("Decrypt", "GenerateDataKey");
        assertThat(events)
                .extracting(e -> e.kms.location())
                .containsExactly(AT + ":Records[0]", AT + ":Records[1]");
    }

    @Test
    void aGzippedLogFileIsReadByItsMagicBytes() {
        List<CloudTrailEvent> events = read(gzip(bytes("examples-1-to-8-records.json")));

        assertThat(events).hasSize(8).allMatch(CloudTrailEvent::isKms);
        assertThat(events.get(7).kms.location()).isEqualTo(AT + ":Records[7]");
    }

    @Test
    void aDigestFileIsSkippedNotADeadLetter() {
        assertThat(read(bytes("digest-file.json"))).isEmpty();
        assertThat(messages.skipped()).isEqualTo(1);
    }

    @Test
    void anotherServicesEventIsSkippedNotADeadLetter() {
        ObjectNode s3 =
                kms("GetObject", "2026-11-02T10:12:00Z").put("eventSource", "s3.amazonaws.com");

        assertThat(read(json(s3))).isEmpty();
        assertThat(messages.skipped()).isEqualTo(1);
    }

    // ------------------------------------------------------------ malformed messages

    /** The one dead letter a message gives. */
    DeadLetter deadLetter(byte[] message) {
        List<CloudTrailEvent> events = read(message);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).isDeadLetter()).as("a dead letter: %s", events.get(0)).isTrue();
        DeadLetter d = events.get(0).deadLetter;
        assertThat(d.source).isEqualTo("cloudtrail");
        return d;
    }

    @Test
    void textThatIsNotJsonIsADeadLetterWhereParsingStopped() {
        DeadLetter d = deadLetter(utf8("this is not CloudTrail"));

        assertThat(d.location).isEqualTo(AT + ":line 1 (byte 5)");
        assertThat(d.reason)
                .startsWith("malformed JSON: Unrecognized token 'this'")
                .endsWith("the rest of the input cannot be trusted and is not read");
    }

    @Test
    void binaryIsADeadLetter() {
        DeadLetter d = deadLetter(new byte[] {0, (byte) 0xff, 0x13, 0x37, (byte) 0x80, 0x0a, 0x01});

        assertThat(d.location).startsWith(AT + ":line 1 ");
        assertThat(d.reason).startsWith("malformed JSON: ");
    }

    @Test
    void jsonWithoutTheRequiredFieldsNamesThem() {
        DeadLetter d = deadLetter(utf8("{\"eventName\": \"Decrypt\"}"));

        assertThat(d.location).isEqualTo(AT + ":line 1");
        assertThat(d.reason)
                .isEqualTo(
                        "missing eventTime, eventSource: a CloudTrail record has eventTime"
                                + " (ISO-8601 UTC), eventName and eventSource");
        assertThat(d.raw).isEqualTo("{\"eventName\": \"Decrypt\"}");
    }

    @Test
    void anEnvelopeWhoseDetailIsNotARecord() {
        DeadLetter d =
                deadLetter(
                        json(
                                envelope(
                                        "AWS API Call via CloudTrail",
                                        JSON.getNodeFactory().textNode("oops"))));

        assertThat(d.location).isEqualTo(AT + ":line 1");
        assertThat(d.reason)
                .isEqualTo("detail: expected an object (the CloudTrail record), got a string");
    }

    @Test
    void recordsThatAreNotAnArray() {
        DeadLetter d = deadLetter(utf8("{\"Records\": 5}"));

        assertThat(d.reason)
                .isEqualTo("Records: expected an array of CloudTrail records, got a number");
    }

    @Test
    void anArrayOfSomethingElse() {
        DeadLetter d = deadLetter(utf8("[1]"));

        assertThat(d.location).isEqualTo(AT + ":[0]");
        assertThat(d.reason)
                .isEqualTo("expected a CloudTrail record (a JSON object), got a number");
    }

    @Test
    void anEmptyMessageIsADeadLetter() {
        DeadLetter d = deadLetter(new byte[0]);

        assertThat(d.location).isEqualTo(AT);
        assertThat(d.reason).isEqualTo("empty message");
    }

    @Test
    void aMessageOfWhiteSpaceIsADeadLetter() {
        DeadLetter d = deadLetter(utf8(" \n \n"));

        assertThat(d.location).isEqualTo(AT);
        assertThat(d.reason).isEqualTo("message holds no CloudTrail record (only white space)");
    }

    @Test
    void aGzipCutShortKeepsWhatWasReadBeforeTheCut() {
        byte[] gz = gzip(bytes("examples-1-to-8-records.json"));

        List<CloudTrailEvent> events = read(Arrays.copyOf(gz, gz.length / 2));

        assertThat(events).hasSizeGreaterThan(1);
        assertThat(events.subList(0, events.size() - 1)).allMatch(CloudTrailEvent::isKms);
        DeadLetter d = events.get(events.size() - 1).deadLetter;
        assertThat(d.location).startsWith(AT + ":Records[" + (events.size() - 1) + "] (byte ");
        assertThat(d.reason)
                .startsWith("the input is cut short or is not valid gzip: ")
                .endsWith("; the rest of the input is missing");
    }

    @Test
    void aGzipCutShortInItsHeaderIsADeadLetter() {
        DeadLetter d = deadLetter(new byte[] {0x1f, (byte) 0x8b, 0x08, 0, 0x13, 0x37});

        assertThat(d.location).isEqualTo(AT);
        assertThat(d.reason)
                .isEqualTo(
                        "the message is cut short or is not valid gzip: it ends inside the gzip"
                                + " header");
    }

    @Test
    void aLogFileBrokenInTheMiddleKeepsTheRecordsBefore() {
        List<CloudTrailEvent> events =
                read(utf8("{\"Records\":[" + decrypt() + ", {\"eventTime\": "));

        assertThat(events).hasSize(2);
        assertThat(events.get(0).kms.eventName).isEqualTo("Decrypt");
        assertThat(events.get(1).deadLetter.location).startsWith(AT + ":Records[1] (byte ");
        assertThat(events.get(1).deadLetter.reason)
                .startsWith("malformed JSON: Unexpected end-of-input")
                .endsWith("; the rest of the input is missing");
    }
}
