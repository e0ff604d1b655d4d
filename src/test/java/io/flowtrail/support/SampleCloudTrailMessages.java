package io.flowtrail.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.source.TimeOrderSplitAssigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The sample-logs CloudTrail as Kafka messages, in the three shapes a CloudTrail topic carries,
 * file by file in delivery order: whole S3 log files as delivered (gzip), whole log files as plain
 * JSON, the records of a file one event per message, and the records of a file one EventBridge
 * envelope per message ({@code AWS API Call via CloudTrail}, or {@code AWS Service Event via
 * CloudTrail} for service events such as RotateKey). The digest file and one of KMS's own
 * EventBridge events ({@code KMS CMK Rotation}) come along: both are skipped, not dead letters.
 */
public final class SampleCloudTrailMessages {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A message, the partition it goes to, and how it is shaped. */
    public record Message(int partition, byte[] value, String shape) {}

    private SampleCloudTrailMessages() {}

    public static final String WHOLE_GZIP = "whole log file, gzip";
    public static final String WHOLE_PLAIN = "whole log file, plain";
    public static final String SINGLE_EVENT = "single event";
    public static final String EVENTBRIDGE = "EventBridge envelope";
    public static final String SKIPPED = "skipped";

    /** The log files (not the digest) in delivery order. */
    public static List<Path> logFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(SampleLogs.DIR.resolve("cloudtrail"))) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().contains("_CloudTrail_"))
                    .sorted(
                            Comparator.comparingLong(
                                    p ->
                                            TimeOrderSplitAssigner.timeInName(
                                                    p.getFileName().toString(), 0)))
                    .toList();
        }
    }

    public static Path digestFile() throws IOException {
        try (Stream<Path> walk = Files.walk(SampleLogs.DIR.resolve("cloudtrail"))) {
            return walk.filter(p -> p.getFileName().toString().contains("_CloudTrail-Digest_"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /**
     * Every file's messages to one partition, files alternating between {@code partitions}: each
     * partition stays in delivery order, within the watermark bound.
     */
    public static List<Message> all(int partitions) throws IOException {
        List<Message> out = new ArrayList<>();
        List<Path> files = logFiles();
        for (int i = 0; i < files.size(); i++) {
            int partition = i % partitions;
            byte[] gz = Files.readAllBytes(files.get(i));
            switch (i % 4) {
                case 0 -> out.add(new Message(partition, gz, WHOLE_GZIP));
                case 1 -> out.add(new Message(partition, gunzip(gz), WHOLE_PLAIN));
                case 2 -> {
                    for (JsonNode r : records(gz)) {
                        out.add(new Message(partition, utf8(r.toString()), SINGLE_EVENT));
                    }
                }
                default -> {
                    for (JsonNode r : records(gz)) {
                        out.add(new Message(partition, utf8(envelope(r).toString()), EVENTBRIDGE));
                    }
                }
            }
            if (i == 3) {
                out.add(new Message(partition, Files.readAllBytes(digestFile()), SKIPPED));
                out.add(new Message(partition, utf8(keyRotation()), SKIPPED));
            }
        }
        return out;
    }

    /** A CloudTrail record in the envelope EventBridge delivers it in. */
    public static ObjectNode envelope(JsonNode record) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", "eb-" + record.path("eventID").asText());
        e.put(
                "detail-type",
                "AwsServiceEvent".equals(record.path("eventType").asText())
                        ? "AWS Service Event via CloudTrail"
                        : "AWS API Call via CloudTrail");
        String service = record.path("eventSource").asText();
        e.put("source", "aws." + service.substring(0, service.indexOf('.')));
        e.put("account", record.path("recipientAccountId").asText());
        e.put("time", record.path("eventTime").asText());
        e.put("region", record.path("awsRegion").asText());
        e.putArray("resources");
        e.set("detail", record);
        return e;
    }

    /** KMS's own EventBridge event for an automatic rotation: not a CloudTrail record. */
    static String keyRotation() {
        return "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\","
                + "\"detail-type\":\"KMS CMK Rotation\",\"source\":\"aws.kms\","
                + "\"account\":\"111122223333\",\"time\":\"2026-11-02T10:20:00Z\","
                + "\"region\":\"us-east-1\",\"resources\":[\"arn:aws:kms:us-east-1:111122223333:"
                + "key/8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b\"],"
                + "\"detail\":{\"key-id\":\"8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b\"}}";
    }

    static List<JsonNode> records(byte[] gz) {
        try {
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(gunzip(gz)).get("Records").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
