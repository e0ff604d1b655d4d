package io.flowtrail.stream;

import static io.flowtrail.support.StreamTestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.job.JobSpec;
import io.flowtrail.job.StreamJob;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.KafkaBroker;
import io.flowtrail.support.ReplayReference;
import io.flowtrail.support.SampleCloudTrailMessages;
import io.flowtrail.support.SampleLogMessages;
import io.flowtrail.support.SampleLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded {@code stream} whose CloudTrail topics go quiet: one is empty, the other carries
 * only the sample's two NACL changes (10:34:40 and 10:49:50) and nothing after them, while the flow
 * logs go on to 11:20. The CloudTrail sources are marked idle after {@code cloudtrail.idleness} (2
 * s here), so they hold nothing back: the flow windows close and are committed, and the correlation
 * of the 10:34:40 change with the reject spike it caused, which needs event time from both sides,
 * is raised. Without idleness the quiet topics hold the correlation's event time back (the empty
 * one at the beginning of time) and it is never raised: run with {@code cloudtrail.idleness: 0s},
 * this test times out with every flow window committed and every other alert raised.
 *
 * <p>The configuration comes from a {@code --config} folder (the 09:00 snapshot) and a
 * configuration topic together (10:35 and 10:50 before the job starts; after it has started, an
 * 11:30 snapshot that opens RDP to the world, and a malformed message): the flows' verdicts equal
 * the replay's, the 11:30 snapshot raises its posture finding, and the malformed message is a dead
 * letter at its topic, partition and offset while the job carries on.
 */
class StreamQuietCloudTrailITCase {
    // Topics of their own: the broker is shared with the other tests of the JVM.
    static final String FLOWS = "quiet-flow-logs";
    static final String QUIET = "quiet-cloudtrail";
    static final String EMPTY = "quiet-cloudtrail-empty";
    static final String CONFIG = "quiet-network-config";
    static final Path SNAPSHOTS = SampleLogs.DIR.resolve("config");
    static final long OK_RECORDS = SampleLogs.expected().get("totals").get("ok").asLong();
    static final String WEB_GROUP = "sg-07ea3ef27e2e90528";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path tmp;
    static KafkaBroker kafka;
    static Path out;
    static String malformedAt;

    @BeforeAll
    static void runUntilTheHourIsCommitted() throws Exception {
        kafka = KafkaBroker.shared();
        kafka.createTopic(FLOWS, 2);
        kafka.createTopic(QUIET, 1);
        kafka.createTopic(EMPTY, 1);
        kafka.createTopic(CONFIG, 1);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            int i = 0;
            for (SampleLogMessages.Message m : SampleLogMessages.all(7)) {
                byte[] key = m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8);
                Integer partition = m.key() == null ? (i++ % 2) : null;
                producer.send(new ProducerRecord<>(FLOWS, partition, key, m.value()));
            }
            for (int partition = 0; partition < 2; partition++) {
                // Every partition past the hour: no flow partition needs to go idle.
                producer.send(
                        new ProducerRecord<>(
                                FLOWS, partition, null, SampleLogMessages.watermarkPusher()));
            }
            for (Path file : SampleCloudTrailMessages.logFiles()) {
                for (JsonNode r :
                        JSON.readTree(SampleCloudTrailMessages.gunzip(Files.readAllBytes(file)))
                                .get("Records")) {
                    if (r.get("eventName").asText().endsWith("NetworkAclEntry")) {
                        producer.send(new ProducerRecord<>(QUIET, 0, null, bytes(r.toString())));
                    }
                }
            }
            producer.send(
                    new ProducerRecord<>(
                            CONFIG,
                            0,
                            null,
                            bytes(
                                    Files.readString(
                                                    SNAPSHOTS.resolve(
                                                            "2026-11-02T10:35:00Z/describe-network-acls.json"))
                                            .replaceFirst(
                                                    "^\\s*\\{",
                                                    "{\"captured_at\": \"2026-11-02T10:35:00Z\","))));
            producer.send(
                    new ProducerRecord<>(
                            CONFIG,
                            0,
                            Instant.parse("2026-11-02T10:50:00Z").toEpochMilli(),
                            null,
                            Files.readAllBytes(
                                    SNAPSHOTS.resolve(
                                            "2026-11-02T10:50:00Z/describe-network-acls.json"))));
            producer.flush();
        }

        Path replay = ReplayReference.withCloudTrail();
        Path folder = tmp.resolve("config/2026-11-02T09:00:00Z");
        Files.createDirectories(folder);
        try (var files = Files.list(SNAPSHOTS.resolve("2026-11-02T09:00:00Z"))) {
            for (Path f : files.toList()) {
                Files.copy(f, folder.resolve(f.getFileName()));
            }
        }
        Path job = tmp.resolve("job.yaml");
        Files.writeString(
                job,
                "cloudtrail:\n"
                        + "  idleness: 2s\n"
                        + "execution:\n"
                        + "  parallelism: 2\n"
                        + "  checkpoint-interval: 1s\n");
        StreamJob.Options stream = new StreamJob.Options();
        stream.spec = JobSpec.load(job);
        stream.parallelism = 2;
        stream.bootstrapServers = kafka.bootstrapServers();
        stream.flowTopics = List.of(FLOWS);
        stream.cloudTrailTopics = List.of(QUIET, EMPTY);
        stream.configTopics = List.of(CONFIG);
        stream.configPaths = List.of(tmp.resolve("config").toString());
        stream.groupId = "quiet";
        out = tmp.resolve("stream");
        stream.outDir = out.toString();
        stream.checkpointDir = tmp.resolve("checkpoints").toString();
        stream.savepointDir = tmp.resolve("savepoints").toString();
        JobClient running = StreamJob.start(stream);

        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>(CONFIG, 0, null, rdpOpenToTheWorldAt1130())).get();
            RecordMetadata md =
                    producer.send(
                                    new ProducerRecord<>(
                                            CONFIG,
                                            0,
                                            null,
                                            bytes(
                                                    "{\"captured_at\": \"2026-11-02T11:31:00Z\","
                                                            + " \"documents\": [{\"Subnets\":"
                                                            + " [{\"SubnetId\": 5}]}]}")))
                            .get();
            malformedAt = "topic " + CONFIG + " partition 0 offset " + md.offset();
        }
        try (DuckDb db = new DuckDb()) {
            await(
                    "the hour's flows, the correlated incident, the 11:30 finding, the dead letter",
                    Duration.ofMinutes(3),
                    () ->
                            db.count(
                                                    String.format(
                                                            ReplayReference.FLOWS_IN_THE_HOUR,
                                                            DuckDb.table(out, "flow_summary")))
                                            >= OK_RECORDS
                                    && db.count(
                                                    "SELECT count(*) FROM "
                                                            + DuckDb.table(out, "alerts")
                                                            + " WHERE detector IN"
                                                            + " ('config_change_then_rejects',"
                                                            + " 'sg_open_admin_port')")
                                            >= 3
                                    && db.count(
                                                    "SELECT count(*) FROM "
                                                            + DuckDb.table(out, "dead_letters")
                                                            + " WHERE source = 'config'")
                                            >= 1);
            Thread.sleep(2000); // more checkpoints: anything read twice would show now
        }
        running.cancel().get();
        StreamQuietCloudTrailITCase.replay = replay;
    }

    static Path replay;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The 09:00 security groups with RDP opened to the world on the web group, at 11:30. */
    static byte[] rdpOpenToTheWorldAt1130() throws Exception {
        ObjectNode groups =
                (ObjectNode)
                        JSON.readTree(
                                SNAPSHOTS
                                        .resolve(
                                                "2026-11-02T09:00:00Z/describe-security-groups.json")
                                        .toFile());
        for (JsonNode g : groups.get("SecurityGroups")) {
            if (g.get("GroupId").asText().equals(WEB_GROUP)) {
                ObjectNode rdp = ((ArrayNode) g.get("IpPermissions")).addObject();
                rdp.put("IpProtocol", "tcp").put("FromPort", 3389).put("ToPort", 3389);
                rdp.putArray("IpRanges").addObject().put("CidrIp", "0.0.0.0/0");
            }
        }
        ObjectNode message = JSON.createObjectNode().put("captured_at", "2026-11-02T11:30:00Z");
        message.putArray("documents").add(groups);
        return bytes(message.toString());
    }

    List<List<Object>> rows(DuckDb db, String query, Path side, String table) throws Exception {
        return db.rows(String.format(query, DuckDb.table(side, table)));
    }

    @Test
    void theFlowWindowsOfTheHourAreCommittedAsTheReplaysAre() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(rows(db, ReplayReference.SUMMARY_ROWS, out, "flow_summary"))
                    .hasSizeGreaterThan(100)
                    .isEqualTo(rows(db, ReplayReference.SUMMARY_ROWS, replay, "flow_summary"));
        }
    }

    @Test
    void theRejectsWithTheFolderAndTheTopicsSnapshotsAreTheReplays() throws Exception {
        String rejects = "SELECT * EXCLUDE (dt, hr) FROM %s ORDER BY ALL";
        try (DuckDb db = new DuckDb()) {
            assertThat(rows(db, rejects, out, "rejects"))
                    .isEqualTo(rows(db, rejects, replay, "rejects"));
        }
    }

    /**
     * The replay's alerts that these inputs can raise (all but the KMS detectors and the key usage
     * incident, which need the KMS events this run does not have), the config change incident
     * included, id and evidence as the replay's; and the finding of the snapshot that arrived on
     * the topic while the job ran.
     */
    @Test
    void theConfigChangeIncidentIsRaisedAndTheLiveSnapshotsFinding() throws Exception {
        String withoutKms =
                "SELECT * EXCLUDE (dt, hr) FROM %s WHERE category <> 'anomalous_key_usage'"
                        + " AND detector <> 'key_usage_then_egress'"
                        + " AND window_start < TIMESTAMPTZ '2026-11-02 11:30:00+00' ORDER BY ALL";
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> expected = rows(db, withoutKms, replay, "alerts");
            assertThat(expected).extracting(r -> r.get(2)).contains("config_change_then_rejects");
            assertThat(rows(db, withoutKms, out, "alerts")).isEqualTo(expected);
            assertThat(
                            rows(
                                    db,
                                    "SELECT detector, json_extract_string(evidence, '$.group_id'),"
                                            + " strftime(window_start AT TIME ZONE 'UTC', '%%H:%%M')"
                                            + " FROM %s WHERE window_start >="
                                            + " TIMESTAMPTZ '2026-11-02 11:30:00+00'",
                                    out,
                                    "alerts"))
                    .containsExactly(List.of("sg_open_admin_port", WEB_GROUP, "11:30"));
        }
    }

    @Test
    void aMalformedSnapshotThatArrivesWhileTheJobRunsIsADeadLetter() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(
                            rows(
                                    db,
                                    "SELECT location, reason FROM %s WHERE source = 'config'",
                                    out,
                                    "dead_letters"))
                    .hasSize(1)
                    .allSatisfy(
                            r -> {
                                assertThat(r.get(0)).isEqualTo(malformedAt);
                                assertThat((String) r.get(1))
                                        .startsWith("$.documents[0].Subnets[0].SubnetId: ");
                            });
        }
    }
}
