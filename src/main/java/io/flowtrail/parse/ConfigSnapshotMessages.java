package io.flowtrail.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.config.ConfigSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a configuration snapshot out of one message of a configuration topic. THE CONTRACT (the
 * README shows it to users):
 *
 * <ul>
 *   <li>A snapshot: {@code {"captured_at": "2026-11-02T09:00:00Z", "documents": [ <describe-*
 *       output>, ... ]}}, the documents a snapshot folder would hold, each recognised by its
 *       top-level key exactly as in a folder ({@link ConfigParser}); several documents of one kind
 *       are combined, as files of one folder are.
 *   <li>Or one {@code describe-*} output with a {@code captured_at} key added beside its top-level
 *       key: {@code {"captured_at": "...", "NetworkAcls": [...]}}.
 *   <li>Without {@code captured_at}, the message's Kafka timestamp is its capture time (the time
 *       the producer gave it, or the broker's for a topic with {@code LogAppendTime}).
 *   <li>{@code captured_at} is an ISO-8601 instant: {@code 2026-11-02T09:00:00Z} (fractions
 *       allowed, and the other forms snapshot folders are named by), or with an offset as Python's
 *       {@code isoformat()} writes it ({@code 2026-11-02T09:00:00.123456+00:00}).
 *   <li>Plain or gzip (by its magic bytes), UTF-8.
 * </ul>
 *
 * <p>The snapshot holds from its capture time and, like a snapshot folder, replaces only the kinds
 * it holds. {@code get-managed-prefix-list-entries} output needs its {@code PrefixListId} key (a
 * message has no file name to take it from). Other keys beside {@code captured_at} and {@code
 * documents} are ignored in a snapshot (producers add their own: account, region, collector).
 *
 * <p>Every problem is a {@link ConfigException} whose source is the message's location and whose
 * path is a JSON path into the message: {@code $.documents[2].SecurityGroups[3].IpPermissions[0]
 * .FromPort}. No Flink here: the Kafka source wraps it.
 */
public final class ConfigSnapshotMessages {
    public static final String CAPTURED_AT = "captured_at";
    public static final String DOCUMENTS = "documents";

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigSnapshotMessages() {}

    /**
     * @param message the message's bytes
     * @param timestampMillis the message's Kafka timestamp, or a negative number for none
     * @param location where it came from ({@code topic config partition 0 offset 4}): the source of
     *     errors, and of the snapshot
     */
    public static ConfigSnapshot read(byte[] message, long timestampMillis, String location) {
        JsonNode root = tree(message, location);
        if (!root.isObject()) {
            throw new ConfigException(
                    location,
                    "$",
                    "expected a JSON object: {\"captured_at\": ..., \"documents\": [...]} or one"
                            + " describe-* output, got "
                            + kind(root));
        }
        ObjectNode object = (ObjectNode) root;
        long capturedAt = capturedAt(object, timestampMillis, location);
        List<ConfigDocument> documents = new ArrayList<>();
        JsonNode list = object.get(DOCUMENTS);
        if (list != null) {
            if (!list.isArray()) {
                throw new ConfigException(
                        location,
                        "$." + DOCUMENTS,
                        "expected an array of describe-* outputs, got " + kind(list));
            }
            if (list.isEmpty()) {
                throw new ConfigException(
                        location,
                        "$." + DOCUMENTS,
                        "expected at least one describe-* output, got an empty array");
            }
            for (int i = 0; i < list.size(); i++) {
                documents.add(document(list.get(i), "$." + DOCUMENTS + "[" + i + "]", location));
            }
        } else {
            ObjectNode document = object.deepCopy();
            document.remove(CAPTURED_AT);
            documents.add(document(document, "$", location));
        }
        return new ConfigSnapshot(
                capturedAt, location, ConfigSnapshotReader.combineDocuments(documents));
    }

    /** The text of a problem without its source (the location names the message already). */
    public static String reason(ConfigException e) {
        String prefix = e.source() + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static JsonNode tree(byte[] message, String location) {
        if (message == null || message.length == 0) {
            throw new ConfigException(location, null, "empty message: expected a JSON object");
        }
        byte[] text = message;
        if (InputSniffer.isGzip(message, message.length)) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
                text = in.readAllBytes();
            } catch (IOException e) {
                throw new ConfigException(location, null, "not valid gzip: " + e.getMessage(), e);
            }
        }
        JsonNode root = ConfigParser.readTree(location, text);
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(location, null, "empty message: expected a JSON object");
        }
        return root;
    }

    private static long capturedAt(ObjectNode object, long timestampMillis, String location) {
        JsonNode value = object.get(CAPTURED_AT);
        if (value == null) {
            if (timestampMillis < 0) {
                throw new ConfigException(
                        location,
                        "$." + CAPTURED_AT,
                        "missing, and the message has no Kafka timestamp to use instead");
            }
            return timestampMillis;
        }
        Long millis = value.isTextual() ? parseInstant(value.asText()) : null;
        if (millis == null) {
            throw new ConfigException(
                    location,
                    "$." + CAPTURED_AT,
                    "expected a UTC instant like \"2026-11-02T09:00:00Z\", got " + value);
        }
        return millis;
    }

    /** Epoch milliseconds of an ISO-8601 instant, with {@code Z} or an offset; null if none. */
    static Long parseInstant(String text) {
        Long millis = ConfigSnapshotReader.parseTime(text);
        if (millis != null) {
            return millis;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** One describe-* output at {@code path} in the message; errors carry the whole path. */
    private static ConfigDocument document(JsonNode node, String path, String location) {
        try {
            return ConfigParser.parse(location, MAPPER.writeValueAsString(node));
        } catch (ConfigException e) {
            String inner = e.path();
            String full = inner == null || inner.equals("$") ? path : path + inner.substring(1);
            String problem = reason(e);
            if (inner != null && problem.startsWith(inner + ": ")) {
                problem = problem.substring(inner.length() + 2);
            }
            throw new ConfigException(location, full, problem, e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always writes", e);
        }
    }

    private static String kind(JsonNode n) {
        if (n.isArray()) {
            return "an array";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return "an object";
    }
}
