package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.fixture;
import static io.flowtrail.parse.FlowLogFiles.gzipMembers;
import static io.flowtrail.parse.FlowLogFiles.linesAfterHeader;
import static io.flowtrail.parse.FlowLogFiles.readAll;
import static io.flowtrail.parse.FlowRecordText.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLogFiles.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudWatch Logs subscription payloads (FORMATS.md §1.10, example F): JSON envelopes whose log
 * events each carry one flow-log record, gzip or not, several in a row as Firehose writes them to
 * S3. Control messages are skipped and counted; a record's location names its envelope and event.
 */
class CloudWatchPayloadTest {
    @TempDir Path dir;

    // ------------------------------------------------------------ example F

    @Test
    void exampleF_eachLogEventIsARecordNamedByEnvelopeAndEvent() throws IOException {
        Path file = fixture("example-f-cloudwatch-payload.json");

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.controlMessagesSkipped()).isZero();
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(
                        file + ":envelope 1 event 1",
                        file + ":envelope 1 event 2",
                        file + ":envelope 1 event 3",
                        file + ":envelope 1 event 4",
                        file + ":envelope 1 event 5");
        // The five messages are example A's first five records.
        assertThat(read.records())
                .extracting(r -> render(r, FlowLogFormat.DEFAULT))
                .containsExactlyElementsOf(
                        linesAfterHeader(fixture("example-a-default-v2.log")).subList(0, 5));
    }

    @Test
    void exampleF_gzippedAsKinesisOrFirehoseDeliverItReadsTheSame() throws IOException {
        Path json = fixture("example-f-cloudwatch-payload.json");
        Path gz = gzipMembers(dir.resolve("firehose-object"), Files.readAllBytes(json));

        Read read = readAll(gz);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.srcPort)
                .containsExactly(
                        tuple(gz + ":envelope 1 event 1", 50722),
                        tuple(gz + ":envelope 1 event 2", 61011),
                        tuple(gz + ":envelope 1 event 3", 34892),
                        tuple(gz + ":envelope 1 event 4", 0),
                        tuple(gz + ":envelope 1 event 5", 0));
    }

    @Test
    void theEventTimestampIsNotTheRecordsStart() throws IOException {
        // Event 2 has timestamp 1718028003000 = start x 1000; start still comes from the record.
        FlowRecord second = readAll(fixture("example-f-cloudwatch-payload.json")).records().get(1);

        assertThat(second.start).isEqualTo(1718028003L);
        assertThat(second.end).isEqualTo(1718028041L);
    }

    // ------------------------------------------------------------ control then data

    @Test
    void controlMessageThenDataMessageInOneGzipStreamOfTwoMembers() throws IOException {
        Path gz =
                gzipMembers(
                        dir.resolve("control-then-data.gz"),
                        Files.readAllBytes(fixture("cloudwatch-control-message.json")),
                        Files.readAllBytes(
                                fixture("cloudwatch-data-message-with-malformed-event.json")));

        Read read = readAll(gz);

        assertThat(read.controlMessagesSkipped()).isEqualTo(1L);
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.srcPort)
                .containsExactly(
                        tuple(gz + ":envelope 2 event 1", 50722),
                        tuple(gz + ":envelope 2 event 3", 0));
        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(
                                gz + ":envelope 2 event 2",
                                "packets: expected a non-negative integer or -, got '12x'"));
    }

    @Test
    void controlMessageThenDataMessageAsPlainJsonBackToBack() throws IOException {
        String control = Files.readString(fixture("cloudwatch-control-message.json")).strip();
        String data =
                Files.readString(fixture("cloudwatch-data-message-with-malformed-event.json"));
        Path file = dir.resolve("control-then-data.json");
        Files.writeString(file, control + data); // "}{": no separator at all

        Read read = readAll(file);

        assertThat(read.controlMessagesSkipped()).isEqualTo(1L);
        assertThat(read.all())
                .extracting(r -> r.isDeadLetter() ? r.deadLetter.location : r.location())
                .containsExactly(
                        file + ":envelope 2 event 1",
                        file + ":envelope 2 event 2",
                        file + ":envelope 2 event 3");
        assertThat(read.all())
                .extracting(FlowRecord::isDeadLetter)
                .containsExactly(false, true, false);
    }

    @Test
    void aMalformedEventMessageIsADeadLetterKeepingTheMessage() throws IOException {
        Path file = fixture("cloudwatch-data-message-with-malformed-event.json");

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason, d -> d.raw)
                .containsExactly(
                        tuple(
                                file + ":envelope 1 event 2",
                                "packets: expected a non-negative integer or -, got '12x'",
                                "2 111122223333 eni-0a1b2c3d4e5f60718 203.0.113.77 10.0.1.15 61011"
                                        + " 3389 6 12x 156 1718028003 1718028041 REJECT OK"));
        assertThat(read.records()).hasSize(2);
    }

    @Test
    void aControlMessageWhoseTypeComesAfterItsEventsIsStillSkipped() throws IOException {
        Path file = dir.resolve("control-type-last.json");
        Files.writeString(
                file,
                """
                {"owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
                 "logEvents": [{"id": "", "timestamp": 1718028000000,
                   "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}],
                 "messageType": "CONTROL_MESSAGE"}
                """);

        Read read = readAll(file);

        assertThat(read.all()).isEmpty();
        assertThat(read.controlMessagesSkipped()).isEqualTo(1L);
    }

    @Test
    void messagesAreReadInTheFlowLogsFormatGivenForTheLogGroup() throws IOException {
        FlowLogFormat exampleD =
                FlowLogFormat.parse(
                        "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport}"
                                + " ${protocol} ${packets} ${bytes} ${start} ${end} ${action}"
                                + " ${log-status} ${flow-direction} ${ecs-cluster-name}"
                                + " ${ecs-service-name} ${ecs-task-id} ${ecs-container-instance-id}"
                                + " ${reject-reason}");
        Path file = dir.resolve("custom-format.json");
        Files.writeString(
                file,
                """
                {"messageType": "DATA_MESSAGE", "owner": "111122223333",
                 "logGroup": "/vpc/flow-logs/ecs", "logStream": "eni-01829304a5b6c7d8e-all",
                 "subscriptionFilters": ["all"],
                 "logEvents": [{"id": "1", "timestamp": 1718030005000,
                   "message": "8 eni-01829304a5b6c7d8e 198.51.100.9 10.0.1.30 55221 443 6 2 120 1718030005 1718030007 REJECT OK ingress - - - - BPA"}]}
                """);

        Read read = readAll(file, exampleD);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.rejectReason, r -> r.dstPort)
                .containsExactly(tuple(file + ":envelope 1 event 1", "BPA", 443));
    }

    // ------------------------------------------------------------ payloads that are not right

    @Test
    void anEventWithoutAMessageIsADeadLetter() throws IOException {
        Path file = dir.resolve("no-message.json");
        Files.writeString(
                file,
                """
                {"messageType": "DATA_MESSAGE",
                 "logEvents": [{"id": "1", "timestamp": 1718028000000}]}
                """);

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(tuple(file + ":envelope 1 event 1", "log event has no message"));
    }

    @Test
    void jsonThatIsNotASubscriptionPayloadIsOneDeadLetter() throws IOException {
        // The Lambda event wraps the payload in base64 gzip; it is not itself a payload.
        Path file = dir.resolve("lambda-event.json");
        Files.writeString(file, "{\"awslogs\": {\"data\": \"H4sIAAAAAAAAAA==\"}}\n");

        Read read = readAll(file);

        assertThat(read.records()).isEmpty();
        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(
                                file + ":envelope 1 (byte 41)",
                                "JSON object without logEvents: not a CloudWatch Logs subscription"
                                        + " payload; the rest of the input is not read"));
    }

    @Test
    void anUnknownMessageTypeIsOneDeadLetter() throws IOException {
        Path file = dir.resolve("unknown-type.json");
        Files.writeString(file, "{\"messageType\": \"DEBUG_MESSAGE\", \"logEvents\": []}");

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(
                                file + ":envelope 1 (byte 47)",
                                "unknown messageType DEBUG_MESSAGE; the rest of the input is not"
                                        + " read"));
    }

    @Test
    void truncatedJsonKeepsTheRecordsBeforeTheBreakAndEndsInOneDeadLetter() throws IOException {
        String whole = Files.readString(fixture("example-f-cloudwatch-payload.json"));
        // Cut inside the third event's message.
        String truncated = whole.substring(0, whole.indexOf("2001:db8:1234:a100"));
        Path file = dir.resolve("truncated.json");
        Files.writeString(file, truncated);

        Read read = readAll(file);

        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(file + ":envelope 1 event 1", file + ":envelope 1 event 2");
        assertThat(read.deadLetters())
                .extracting(d -> d.location)
                .containsExactly(file + ":envelope 1 (byte " + truncated.length() + ")");
        assertThat(read.deadLetters().get(0).reason)
                .startsWith("malformed JSON: Unexpected end-of-input")
                .endsWith("; the rest of the input is not read");
    }
}
