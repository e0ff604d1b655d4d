package io.flowtrail.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.config.ConfigSnapshot;
import io.flowtrail.support.SampleLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Configuration snapshots as messages of a configuration topic: a snapshot of several documents,
 * one document with its capture time, one document at the message's timestamp; and every problem a
 * reason that names the JSON path into the message.
 */
class ConfigSnapshotMessagesTest {
    static final String AT = "topic config partition 0 offset 7";
    static final Path CONFIG = SampleLogs.DIR.resolve("config");
    static final Path AT_0900 = CONFIG.resolve("2026-11-02T09:00:00Z");
    static final long T0900 = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();
    static final long KAFKA_TIME = Instant.parse("2026-11-02T10:50:00Z").toEpochMilli();
    static final ObjectMapper JSON = new ObjectMapper();

    static String text(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String snapshotMessage(String capturedAt, String... documents) {
        return "{\"captured_at\": \""
                + capturedAt
                + "\", \"documents\": ["
                + String.join(", ", documents)
                + "]}";
    }

    /** The documents of a snapshot as JSON trees, so that formatting does not matter. */
    static Map<String, JsonNode> trees(ConfigSnapshot s) {
        Map<String, JsonNode> out = new TreeMap<>();
        s.documents()
                .forEach(
                        (k, v) -> {
                            try {
                                out.put(k, JSON.readTree(v));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
        return out;
    }

    @Nested
    class Shapes {
        @Test
        void aSnapshotOfEveryDocumentEqualsItsFolder() throws IOException {
            List<String> documents;
            try (var files = Files.list(AT_0900)) {
                documents = files.sorted().map(ConfigSnapshotMessagesTest::text).toList();
            }
            ConfigSnapshot folder = ConfigSnapshotReader.readVersions(CONFIG).get(0);

            ConfigSnapshot s =
                    ConfigSnapshotMessages.read(
                            utf8(
                                    snapshotMessage(
                                            "2026-11-02T09:00:00Z",
                                            documents.toArray(String[]::new))),
                            KAFKA_TIME,
                            AT);

            assertThat(s.effectiveFromMillis()).isEqualTo(T0900);
            assertThat(s.source()).isEqualTo(AT);
            assertThat(s.documents()).hasSize(8);
            assertThat(trees(s)).isEqualTo(trees(folder));
        }

        @Test
        void oneDocumentWithItsCaptureTimeHoldsOnlyItsKind() throws IOException {
            ObjectNodeText acls =
                    new ObjectNodeText(
                            text(
                                    CONFIG.resolve(
                                            "2026-11-02T10:35:00Z/describe-network-acls.json")));

            ConfigSnapshot s =
                    ConfigSnapshotMessages.read(
                            utf8(acls.with("captured_at", "2026-11-02T10:35:00Z")), KAFKA_TIME, AT);

            assertThat(s.effectiveFromMillis())
                    .isEqualTo(Instant.parse("2026-11-02T10:35:00Z").toEpochMilli());
            assertThat(s.documents().keySet()).containsExactly("NetworkAcls");
            assertThat(JSON.readTree(s.documents().get("NetworkAcls")))
                    .as("captured_at is not part of the document")
                    .isEqualTo(JSON.readTree(acls.json));
        }

        @Test
        void withoutCapturedAtTheMessagesTimestampIsTheCaptureTime() {
            ConfigSnapshot s =
                    ConfigSnapshotMessages.read(
                            utf8(
                                    text(
                                            CONFIG.resolve(
                                                    "2026-11-02T10:50:00Z/describe-network-acls.json"))),
                            KAFKA_TIME,
                            AT);

            assertThat(s.effectiveFromMillis()).isEqualTo(KAFKA_TIME);
            assertThat(s.documents().keySet()).containsExactly("NetworkAcls");
        }

        @Test
        void capturedAtMayCarryFractionsAndAnOffset() {
            String vpcs = text(AT_0900.resolve("describe-vpcs.json"));

            assertThat(
                            ConfigSnapshotMessages.read(
                                            utf8(
                                                    snapshotMessage(
                                                            "2026-11-02T09:00:00.250000+00:00",
                                                            vpcs)),
                                            -1L,
                                            AT)
                                    .effectiveFromMillis())
                    .isEqualTo(T0900 + 250);
            assertThat(
                            ConfigSnapshotMessages.read(
                                            utf8(
                                                    snapshotMessage(
                                                            "2026-11-02T11:00:00+02:00", vpcs)),
                                            -1L,
                                            AT)
                                    .effectiveFromMillis())
                    .isEqualTo(T0900);
            assertThat(
                            ConfigSnapshotMessages.read(
                                            utf8(snapshotMessage("20261102T090000Z", vpcs)),
                                            -1L,
                                            AT)
                                    .effectiveFromMillis())
                    .isEqualTo(T0900);
        }

        @Test
        void aGzipMessageIsReadByItsMagicBytes() {
            String vpcs = text(AT_0900.resolve("describe-vpcs.json"));

            ConfigSnapshot s =
                    ConfigSnapshotMessages.read(
                            gzip(utf8(snapshotMessage("2026-11-02T09:00:00Z", vpcs))), -1L, AT);

            assertThat(s.documents().keySet()).containsExactly("Vpcs");
        }

        @Test
        void pagesOfOneKindAreCombinedAsFilesOfOneFolderAre() throws IOException {
            ConfigSnapshot s =
                    ConfigSnapshotMessages.read(
                            utf8(
                                    snapshotMessage(
                                            "2026-11-02T09:00:00Z",
                                            "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.1.0.0/16\"}], \"NextToken\": \"abc\"}",
                                            "{\"Vpcs\": [{\"VpcId\": \"vpc-2\", \"CidrBlock\": \"10.2.0.0/16\"}]}")),
                            -1L,
                            AT);

            assertThat(JSON.readTree(s.documents().get("Vpcs")).get("Vpcs"))
                    .extracting(v -> v.get("VpcId").asText())
                    .containsExactly("vpc-1", "vpc-2");
        }

        @Test
        void prefixListEntriesNameTheirListWithPrefixListId() {
            ConfigSnapshot s =
                    ConfigSnapshotMessages.read(
                            utf8(
                                    "{\"captured_at\": \"2026-11-02T09:00:00Z\", \"PrefixListId\":"
                                            + " \"pl-0123456789abcdef0\", \"Entries\": [{\"Cidr\":"
                                            + " \"192.0.2.0/24\"}]}"),
                            -1L,
                            AT);

            assertThat(s.documents().keySet())
                    .containsExactly("PrefixListEntries:pl-0123456789abcdef0");
        }

        @Test
        void otherKeysOfASnapshotAreIgnored() {
            ConfigSnapshot s =
                    ConfigSnapshotMessages.read(
                            utf8(
                                    "{\"account\": \"111122223333\", \"captured_at\":"
                                            + " \"2026-11-02T09:00:00Z\", \"documents\": ["
                                            + text(AT_0900.resolve("describe-vpcs.json"))
                                            + "]}"),
                            -1L,
                            AT);

            assertThat(s.documents().keySet()).containsExactly("Vpcs");
        }
    }

    @Nested
    class Problems {
        /** The reason a dead letter of the message gives: its problem without the location. */
        String reason(String message, long timestamp) {
            return reason(utf8(message), timestamp);
        }

        String reason(byte[] message, long timestamp) {
            ConfigException e =
                    catchThrowableOfType(
                            ConfigException.class,
                            () -> ConfigSnapshotMessages.read(message, timestamp, AT));
            assertThat(e).as("a ConfigException").isNotNull();
            assertThat(e.source()).isEqualTo(AT);
            assertThat(e.getMessage()).startsWith(AT + ": ");
            return ConfigSnapshotMessages.reason(e);
        }

        @Test
        void aBadFieldInsideASnapshotIsNamedByItsPathFromTheMessage() {
            String sg =
                    "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\":"
                            + " \"tcp\", \"FromPort\": \"x\", \"ToPort\": 22}]}]}";
            String vpcs = text(AT_0900.resolve("describe-vpcs.json"));

            assertThat(reason(snapshotMessage("2026-11-02T09:00:00Z", vpcs, sg), -1L))
                    .isEqualTo(
                            "$.documents[1].SecurityGroups[0].IpPermissions[0].FromPort:"
                                    + " expected an integer, got \"x\"");
        }

        @Test
        void aBadFieldInASingleDocumentIsNamedByItsPath() {
            assertThat(
                            reason(
                                    "{\"captured_at\": \"2026-11-02T09:00:00Z\", \"Vpcs\":"
                                            + " [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.1.0.0/33\"}]}",
                                    -1L))
                    .startsWith("$.Vpcs[0].CidrBlock: ");
        }

        @Test
        void anUnknownDocumentInASnapshot() {
            assertThat(reason(snapshotMessage("2026-11-02T09:00:00Z", "{\"Instances\": []}"), -1L))
                    .isEqualTo(
                            "$.documents[0]: not a describe-* document Flowtrail knows: top-level"
                                    + " keys [Instances] (expected one of SecurityGroups,"
                                    + " SecurityGroupRules, NetworkAcls, NetworkInterfaces, Subnets,"
                                    + " RouteTables, Vpcs, VpcEndpoints, PrefixLists,"
                                    + " VpcPeeringConnections, Entries)");
        }

        @Test
        void aCaptureTimeThatIsNotAnInstant() {
            assertThat(reason(snapshotMessage("yesterday", "{\"Vpcs\": []}"), KAFKA_TIME))
                    .isEqualTo(
                            "$.captured_at: expected a UTC instant like \"2026-11-02T09:00:00Z\","
                                    + " got \"yesterday\"");
            assertThat(reason("{\"captured_at\": 1793610000000, \"Vpcs\": []}", KAFKA_TIME))
                    .isEqualTo(
                            "$.captured_at: expected a UTC instant like \"2026-11-02T09:00:00Z\","
                                    + " got 1793610000000");
        }

        @Test
        void noCaptureTimeAndNoTimestamp() {
            assertThat(reason("{\"Vpcs\": []}", -1L))
                    .isEqualTo(
                            "$.captured_at: missing, and the message has no Kafka timestamp to use instead");
        }

        @Test
        void documentsThatAreNotAListOrAnEmptyList() {
            assertThat(
                            reason(
                                    "{\"captured_at\": \"2026-11-02T09:00:00Z\", \"documents\": {}}",
                                    -1L))
                    .isEqualTo(
                            "$.documents: expected an array of describe-* outputs, got an object");
            assertThat(reason(snapshotMessage("2026-11-02T09:00:00Z"), -1L))
                    .isEqualTo(
                            "$.documents: expected at least one describe-* output, got an empty array");
        }

        @Test
        void aDocumentOfASnapshotThatIsNotAnObject() {
            assertThat(reason(snapshotMessage("2026-11-02T09:00:00Z", "[]"), -1L))
                    .startsWith("$.documents[0]: expected a JSON object such as");
        }

        @Test
        void entriesWithoutTheirList() {
            assertThat(reason(snapshotMessage("2026-11-02T09:00:00Z", "{\"Entries\": []}"), -1L))
                    .startsWith(
                            "$.documents[0].Entries: get-managed-prefix-list-entries output does"
                                    + " not name its prefix list");
        }

        @Test
        void aMessageThatIsNotAnObject() {
            assertThat(reason("[{\"Vpcs\": []}]", -1L))
                    .isEqualTo(
                            "$: expected a JSON object: {\"captured_at\": ..., \"documents\":"
                                    + " [...]} or one describe-* output, got an array");
        }

        @Test
        void notJsonNamesLineAndColumn() {
            assertThat(reason("captured_at=now", -1L))
                    .startsWith("not valid JSON: Unrecognized token 'captured_at'")
                    .endsWith("(line 1, column 13)");
        }

        @Test
        void binaryAndDamagedGzipAndNothing() {
            assertThat(reason(new byte[] {0, (byte) 0xff, 0x13, 0x37}, -1L))
                    .startsWith("not valid JSON: ");
            byte[] gz = gzip(utf8(snapshotMessage("2026-11-02T09:00:00Z", "{\"Vpcs\": []}")));
            assertThat(reason(Arrays.copyOf(gz, gz.length / 2), -1L))
                    .startsWith("not valid gzip: ");
            assertThat(reason(new byte[0], -1L)).isEqualTo("empty message: expected a JSON object");
        }
    }

    /** A document's text, and the same with a key added at the front. */
    record ObjectNodeText(String json) {
        String with(String key, String value) {
            try {
                var node = JSON.createObjectNode().put(key, value);
                node.setAll((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json));
                return node.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
