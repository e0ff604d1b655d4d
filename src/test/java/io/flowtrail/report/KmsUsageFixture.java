package io.flowtrail.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.sink.ParquetTable;
import io.flowtrail.support.SampleLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * A {@code kms_usage} table for tests until its writer lands: the DESIGN.md columns, written with
 * the writers' own {@link ParquetTable}, holding the busiest key and principal pairs of {@code
 * sample-logs/expected_cloudtrail.json} (their calls and errors per five-minute window, as {@code
 * Decrypt}). So the KMS queries and the KMS parts of the report are exercised on the sample's
 * numbers before the real table exists.
 */
public final class KmsUsageFixture {
    private KmsUsageFixture() {}

    /** One row of the fixture. */
    public static final class Row {
        long windowStart;
        long windowEnd;
        String keyArn;
        String principalArn;
        long calls;
        long errors;
    }

    static final ParquetTable<Row> TABLE =
            ParquetTable.<Row>named("kms_usage")
                    .timestamp("window_start", r -> r.windowStart)
                    .timestamp("window_end", r -> r.windowEnd)
                    .string("account_id", r -> "111122223333")
                    .string("region", r -> "us-east-1")
                    .string("key_arn", r -> r.keyArn)
                    .string("principal_arn", r -> r.principalArn)
                    .string("event_name", r -> "Decrypt")
                    .int64("calls", r -> r.calls)
                    .int64("errors", r -> r.errors)
                    .int64("distinct_source_ips", r -> 1)
                    .int64("via_vpc_endpoint", r -> 0)
                    .build();

    /** {@code sample-logs/expected_cloudtrail.json}. */
    public static JsonNode expected() {
        try {
            return new ObjectMapper()
                    .readTree(SampleLogs.DIR.resolve("expected_cloudtrail.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The busiest pairs: key_arn, principal_arn, calls, errors, calls_per_window, ... */
    public static JsonNode busiestPairs() {
        return expected().get("kms_usage_busiest_pairs").get("pairs");
    }

    /** The fixture's window starts (five minutes each). */
    public static List<Instant> windows() {
        List<Instant> windows = new ArrayList<>();
        expected()
                .get("kms_usage_busiest_pairs")
                .get("windows")
                .forEach(w -> windows.add(Instant.parse(w.asText())));
        return windows;
    }

    /** Writes {@code outDir/kms_usage/dt=2026-11-02/hr=10/part-fixture.parquet}. */
    public static void write(Path outDir) throws IOException {
        List<Instant> windows = windows();
        List<Row> rows = new ArrayList<>();
        for (JsonNode pair : busiestPairs()) {
            for (int i = 0; i < windows.size(); i++) {
                long calls = pair.get("calls_per_window").get(i).asLong();
                if (calls == 0) {
                    continue;
                }
                Row r = new Row();
                r.windowStart = windows.get(i).toEpochMilli();
                r.windowEnd = r.windowStart + 5 * 60_000L;
                r.keyArn = pair.get("key_arn").asText();
                r.principalArn = pair.get("principal_arn").asText();
                r.calls = calls;
                r.errors = pair.get("errors_per_window").get(i).asLong();
                rows.add(r);
            }
        }
        Path dir = outDir.resolve("kms_usage/dt=2026-11-02/hr=10");
        Files.createDirectories(dir);
        try (ParquetWriter<Row> w =
                TABLE.writer(
                        new LocalOutputFile(dir.resolve("part-fixture.parquet")),
                        CompressionCodecName.UNCOMPRESSED)) {
            for (Row r : rows) {
                w.write(r);
            }
        }
    }

    /** Copies the tables of {@code from} (not kms_usage) to {@code to}, then adds the fixture. */
    public static void copyWithFixture(Path from, Path to) throws IOException {
        for (String table : List.of("flow_summary", "rejects", "alerts", "dead_letters")) {
            Path src = from.resolve(table);
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (var walk = Files.walk(src)) {
                for (Path p : walk.toList()) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
        }
        write(to);
    }
}
