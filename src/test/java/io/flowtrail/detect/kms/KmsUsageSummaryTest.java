package io.flowtrail.detect.kms;

import static io.flowtrail.detect.kms.TestKms.APP_DATA;
import static io.flowtrail.detect.kms.TestKms.BACKUP;
import static io.flowtrail.detect.kms.TestKms.BACKUP_HOST;
import static io.flowtrail.detect.kms.TestKms.BACKUP_KEY;
import static io.flowtrail.detect.kms.TestKms.DEV;
import static io.flowtrail.detect.kms.TestKms.KMS_ENDPOINT;
import static io.flowtrail.detect.kms.TestKms.S3_DATA;
import static io.flowtrail.detect.kms.TestKms.WEB;
import static io.flowtrail.detect.kms.TestKms.WINDOW;
import static io.flowtrail.detect.kms.TestKms.call;
import static io.flowtrail.detect.kms.TestKms.ms;
import static io.flowtrail.detect.kms.TestKms.window;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.KmsUsageRow;
import io.flowtrail.parse.CloudTrailReader;
import io.flowtrail.sink.Tables;
import io.flowtrail.summary.KmsUsageAccumulator;
import io.flowtrail.summary.KmsUsageAggregate;
import io.flowtrail.summary.KmsUsageKey;
import io.flowtrail.summary.KmsUsageKeySelector;
import io.flowtrail.summary.KmsUsageWindowFunction;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The {@code kms_usage} aggregation (what the pipeline runs as {@code
 * keyBy(KmsUsageKeySelector).window(tumbling).aggregate(KmsUsageAggregate,
 * KmsUsageWindowFunction)}), run by hand: rows for calls, and the sample hour's per-window counts.
 */
class KmsUsageSummaryTest {
    /** Aggregates calls as the keyed tumbling window would, accumulators merged in two halves. */
    static List<KmsUsageRow> rows(List<KmsEvent> calls) throws Exception {
        KmsUsageAggregate agg = new KmsUsageAggregate();
        KmsUsageKeySelector keys = new KmsUsageKeySelector();
        Map<Long, Map<KmsUsageKey, KmsUsageAccumulator[]>> windows = new LinkedHashMap<>();
        int i = 0;
        for (KmsEvent e : calls) {
            long start = DetectorSupport.windowStart(e.eventTimeMillis, WINDOW);
            KmsUsageAccumulator[] halves =
                    windows.computeIfAbsent(start, s -> new LinkedHashMap<>())
                            .computeIfAbsent(
                                    keys.getKey(e),
                                    k ->
                                            new KmsUsageAccumulator[] {
                                                agg.createAccumulator(), agg.createAccumulator()
                                            });
            int half = i++ % 2;
            halves[half] = agg.add(e, halves[half]);
        }
        List<KmsUsageRow> rows = new ArrayList<>();
        KmsUsageWindowFunction fn = new KmsUsageWindowFunction();
        for (Map.Entry<Long, Map<KmsUsageKey, KmsUsageAccumulator[]>> w : windows.entrySet()) {
            TimeWindow window = new TimeWindow(w.getKey(), w.getKey() + WINDOW);
            for (Map.Entry<KmsUsageKey, KmsUsageAccumulator[]> k : w.getValue().entrySet()) {
                KmsUsageAccumulator total =
                        agg.getResult(agg.merge(k.getValue()[0], k.getValue()[1]));
                fn.process(
                        k.getKey(),
                        fn.new Context() {
                            @Override
                            public TimeWindow window() {
                                return window;
                            }

                            @Override
                            public long currentProcessingTime() {
                                return 0;
                            }

                            @Override
                            public long currentWatermark() {
                                return window.maxTimestamp();
                            }

                            @Override
                            public KeyedStateStore windowState() {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public KeyedStateStore globalState() {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public <X> void output(OutputTag<X> outputTag, X value) {
                                throw new UnsupportedOperationException();
                            }
                        },
                        List.of(total),
                        new Collector<>() {
                            @Override
                            public void collect(KmsUsageRow row) {
                                rows.add(row);
                            }

                            @Override
                            public void close() {}
                        });
            }
        }
        return rows;
    }

    @Test
    void aRowPerWindowKeyPrincipalAndOperation() throws Exception {
        List<KmsEvent> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(
                    call("GenerateDataKey")
                            .by(BACKUP, BACKUP_HOST)
                            .key(BACKUP_KEY)
                            .from("10.20.20." + (50 + i % 2))
                            .via(KMS_ENDPOINT)
                            .at(window(0).plusSeconds(i))
                            .event());
        }
        calls.add(
                call("Decrypt")
                        .by(WEB, "i-06cc3ba5031835d1d")
                        .key(S3_DATA)
                        .invokedBy("s3.amazonaws.com")
                        .at(window(0))
                        .event());
        calls.add(
                call("Decrypt")
                        .by(DEV)
                        .key(APP_DATA)
                        .from("203.0.113.99")
                        .denied()
                        .at(window(1))
                        .event());
        calls.add(
                call("DescribeKey")
                        .by(DEV)
                        .key(APP_DATA)
                        .from("203.0.113.99")
                        .denied()
                        .at(window(1))
                        .event());
        calls.add(call("ListKeys").by(DEV).from("203.0.113.99").at(window(1)).event());

        Map<String, KmsUsageRow> byName = new HashMap<>();
        for (KmsUsageRow r : rows(calls)) {
            byName.put(r.eventName + " " + r.principalArn + " " + r.windowStart, r);
        }
        assertThat(byName).hasSize(5);

        KmsUsageRow backup = byName.get("GenerateDataKey " + BACKUP + " " + ms(window(0)));
        assertThat(backup.windowEnd).isEqualTo(ms(window(1)));
        assertThat(backup.accountId).isEqualTo("111122223333");
        assertThat(backup.region).isEqualTo("us-east-1");
        assertThat(backup.keyArn).isEqualTo(BACKUP_KEY);
        assertThat(backup.calls).isEqualTo(4);
        assertThat(backup.errors).isZero();
        assertThat(backup.distinctSourceIps).isEqualTo(2);
        assertThat(backup.viaVpcEndpoint).isEqualTo(4);

        KmsUsageRow s3 = byName.get("Decrypt " + WEB + " " + ms(window(0)));
        assertThat(s3.distinctSourceIps).isZero(); // s3.amazonaws.com is not an address
        assertThat(s3.viaVpcEndpoint).isZero();

        KmsUsageRow denied = byName.get("Decrypt " + DEV + " " + ms(window(1)));
        assertThat(denied.errors).isEqualTo(1);
        assertThat(denied.distinctSourceIps).isEqualTo(1);
        assertThat(byName.get("ListKeys " + DEV + " " + ms(window(1))).keyArn).isNull();
    }

    @Test
    void theSampleHoursBusiestPairsPerWindowMatchTheGenerator() throws Exception {
        Path sample = Path.of("sample-logs").toAbsolutePath();
        JsonNode expected =
                new ObjectMapper().readTree(sample.resolve("expected_cloudtrail.json").toFile());
        List<KmsEvent> kms = new ArrayList<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(sample.resolve("cloudtrail"))) {
            paths =
                    walk.filter(p -> p.toString().endsWith(".json.gz"))
                            .sorted()
                            .collect(Collectors.toList());
        }
        for (Path p : paths) {
            try (InputStream in = Files.newInputStream(p);
                    CloudTrailReader reader = new CloudTrailReader(in, p.toString())) {
                for (CloudTrailEvent e = reader.next(); e != null; e = reader.next()) {
                    if (e.isKms()) {
                        kms.add(e.kms);
                    }
                }
            }
        }
        List<KmsUsageRow> rows = rows(kms);
        assertThat(rows.stream().mapToLong(r -> r.calls).sum()).isEqualTo(kms.size());
        assertThat(rows.stream().mapToLong(r -> r.errors).sum())
                .isEqualTo(expected.path("totals").path("kms_errors").asLong());
        long hour = Instant.parse(expected.path("hour").path("start").asText()).toEpochMilli();
        for (JsonNode pair : expected.path("kms_usage_busiest_pairs").path("pairs")) {
            long[] calls = new long[12];
            long[] errors = new long[12];
            for (KmsUsageRow r : rows) {
                if (pair.path("key_arn").asText().equals(r.keyArn)
                        && pair.path("principal_arn").asText().equals(r.principalArn)) {
                    calls[(int) ((r.windowStart - hour) / WINDOW)] += r.calls;
                    errors[(int) ((r.windowStart - hour) / WINDOW)] += r.errors;
                }
            }
            for (int w = 0; w < 12; w++) {
                assertThat(calls[w])
                        .as(pair + " window " + w)
                        .isEqualTo(pair.path("calls_per_window").get(w).asLong());
                assertThat(errors[w])
                        .as(pair + " window " + w)
                        .isEqualTo(pair.path("errors_per_window").get(w).asLong());
            }
        }
        // The backup role reaches KMS only through its endpoint.
        assertThat(rows)
                .filteredOn(
                        r ->
                                "arn:aws:iam::111122223333:role/flowtrail-sample-backup"
                                        .equals(r.principalArn))
                .isNotEmpty()
                .allMatch(r -> r.viaVpcEndpoint == r.calls && r.distinctSourceIps == 1);
    }

    @Test
    void theTableHasTheDesignsColumns() {
        assertThat(Tables.KMS_USAGE.name()).isEqualTo("kms_usage");
        assertThat(Tables.KMS_USAGE.columnNames())
                .containsExactly(
                        "window_start",
                        "window_end",
                        "account_id",
                        "region",
                        "key_arn",
                        "principal_arn",
                        "event_name",
                        "calls",
                        "errors",
                        "distinct_source_ips",
                        "via_vpc_endpoint");
    }
}
