package io.flowtrail.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.NetworkChangeEvent;
import io.flowtrail.parse.CloudTrailFiles.Read;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository's {@code sample-logs/cloudtrail/} read back with the reader gives exactly the
 * numbers its generator wrote in {@code expected_cloudtrail.json}.
 */
class CloudTrailSampleLogsTest {
    private static final Path SAMPLE = Path.of("sample-logs").toAbsolutePath();
    private static final long WINDOW_MILLIS = 5 * 60_000L;

    private static JsonNode expected;
    private static final List<KmsEvent> kms = new ArrayList<>();
    private static final List<NetworkChangeEvent> network = new ArrayList<>();
    private static long deadLetters;
    private static long other;
    private static long digests;
    private static long records;
    private static int files;

    @BeforeAll
    static void readTheSampleHour() throws IOException {
        expected = new ObjectMapper().readTree(SAMPLE.resolve("expected_cloudtrail.json").toFile());
        List<Path> all;
        try (Stream<Path> walk = Files.walk(SAMPLE.resolve("cloudtrail"))) {
            all =
                    walk.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".json.gz"))
                            .sorted()
                            .collect(Collectors.toList());
        }
        for (Path file : all) {
            Read read = CloudTrailFiles.read(file);
            kms.addAll(read.kms());
            network.addAll(read.networkChanges());
            deadLetters += read.deadLetters().size();
            other += read.otherEventsSkipped();
            digests += read.digestFilesSkipped();
            records += read.recordsRead();
            files++;
        }
    }

    @Test
    void totalsMatchTheGenerator() {
        JsonNode totals = expected.path("totals");

        assertThat(files)
                .isEqualTo(totals.path("files").asInt() + totals.path("digest_files").asInt());
        assertThat(records).isEqualTo(totals.path("records").asLong());
        assertThat((long) kms.size()).isEqualTo(totals.path("kms_events").asLong());
        assertThat((long) network.size()).isEqualTo(totals.path("network_change_events").asLong());
        assertThat(other).isEqualTo(totals.path("other_events_skipped").asLong());
        assertThat(digests).isEqualTo(1);
        assertThat(deadLetters).isZero();
        assertThat(kms.stream().filter(KmsEvent::isAccessDenied).count())
                .isEqualTo(totals.path("kms_access_denied").asLong());
    }

    @Test
    void kmsEventNamesMatch() {
        Map<String, Long> byName =
                kms.stream()
                        .collect(
                                Collectors.groupingBy(
                                        e -> e.eventName, TreeMap::new, Collectors.counting()));
        Map<String, Long> want = new TreeMap<>();
        expected.path("kms_by_event_name")
                .fields()
                .forEachRemaining(f -> want.put(f.getKey(), f.getValue().asLong()));

        assertThat(byName).isEqualTo(want);
    }

    @Test
    void busiestKeyPrincipalPairsPerFiveMinutesMatch() {
        long hourStart = Instant.parse(expected.path("hour").path("start").asText()).toEpochMilli();
        Map<String, long[]> perPair = new HashMap<>();
        for (KmsEvent e : kms) {
            long[] windows =
                    perPair.computeIfAbsent(e.keyArn + " " + e.principalArn, k -> new long[12]);
            windows[(int) ((e.eventTimeMillis - hourStart) / WINDOW_MILLIS)]++;
        }
        JsonNode pairs = expected.path("kms_usage_busiest_pairs").path("pairs");
        assertThat(pairs.size()).isEqualTo(8);
        for (JsonNode pair : pairs) {
            String key = pair.path("key_arn").asText() + " " + pair.path("principal_arn").asText();
            long[] want = new long[12];
            for (int i = 0; i < 12; i++) {
                want[i] = pair.path("calls_per_window").get(i).asLong();
            }
            assertThat(perPair.get(key)).as(key).containsExactly(want);
        }
    }

    @Test
    void theDecryptBurstIsBatchBsSessionAndThroughItsNat() {
        JsonNode incident = incident("kms-decrypt-burst-batch-b");
        long start = Instant.parse(incident.path("window_start").asText()).toEpochMilli();
        long end = Instant.parse(incident.path("window_end").asText()).toEpochMilli();

        List<KmsEvent> burst =
                kms.stream()
                        .filter(e -> e.eventTimeMillis >= start && e.eventTimeMillis < end)
                        .filter(e -> e.eventName.equals("Decrypt"))
                        .filter(e -> incident.path("entity").asText().equals(e.principalArn))
                        .filter(e -> incident.path("session_name").asText().equals(e.sessionName))
                        .collect(Collectors.toList());

        assertThat(burst).hasSize(incident.path("evidence").path("decrypt_calls").asInt());
        assertThat(burst).allMatch(e -> e.keyArn.equals(incident.path("key_arn").asText()));
        assertThat(burst).allMatch(e -> e.sourceIp.equals("192.0.2.13"));
    }

    @Test
    void theAccessDeniedBurstHitsEightKeys() {
        JsonNode incident = incident("kms-access-denied-burst-dev-user");

        List<KmsEvent> denied =
                kms.stream()
                        .filter(KmsEvent::isAccessDenied)
                        .filter(e -> e.principalArn.equals(incident.path("entity").asText()))
                        .collect(Collectors.toList());

        assertThat(denied).hasSize(40);
        assertThat(denied.stream().map(e -> e.keyArn).distinct()).hasSize(8);
    }

    @Test
    void theKeyScheduledForDeletionAndTheNetworkAclChanges() {
        JsonNode deletion = incident("kms-key-scheduled-for-deletion");
        KmsEvent scheduled =
                kms.stream()
                        .filter(e -> e.eventName.equals("ScheduleKeyDeletion"))
                        .findFirst()
                        .orElseThrow();

        assertThat(scheduled.keyArn).isEqualTo(deletion.path("entity").asText());
        assertThat(scheduled.pendingWindowInDays).isEqualTo(7);
        assertThat(scheduled.principalArn).isEqualTo(deletion.path("principal_arn").asText());

        assertThat(network)
                .extracting(n -> n.eventName, n -> n.networkAclId, n -> n.ruleNumber)
                .containsExactlyInAnyOrder(
                        org.assertj.core.api.Assertions.tuple(
                                "CreateNetworkAclEntry",
                                incident("nacl-change-explains-db-a-rejects")
                                        .path("entity")
                                        .asText(),
                                90),
                        org.assertj.core.api.Assertions.tuple(
                                "DeleteNetworkAclEntry",
                                incident("nacl-change-explains-db-a-rejects")
                                        .path("entity")
                                        .asText(),
                                90));
    }

    private static JsonNode incident(String id) {
        for (JsonNode i : expected.path("incidents")) {
            if (i.path("id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no incident " + id);
    }
}
