package io.flowtrail.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.cli.Main;
import io.flowtrail.job.JobSpec;
import io.flowtrail.job.StreamJob;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.KafkaBroker;
import io.flowtrail.support.ReplayReference;
import io.flowtrail.support.SampleCloudTrailMessages;
import io.flowtrail.support.SampleLogMessages;
import io.flowtrail.support.SampleLogs;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sample hour from a real Kafka broker, every input a topic: the flow logs (as {@link
 * StreamKafkaParityITCase} sends them), the CloudTrail in all three message shapes ({@link
 * SampleCloudTrailMessages}: whole log files gzip and plain, single events, EventBridge envelopes;
 * the digest file and a {@code KMS CMK Rotation} event along, both skipped), and the configuration
 * snapshots on a configuration topic, no {@code --config} folder: the 09:00 snapshot as one message
 * of all its documents, the 10:35 NACL change as one document with its {@code captured_at}, gzip,
 * and the 10:50 one as a bare {@code describe-network-acls} output whose Kafka timestamp is its
 * capture time. {@code stream --bounded} writes the same kms_usage, flow_summary, rejects and
 * alerts (ids included: the KMS detectors, the correlated incidents and the posture finding of a
 * snapshot from the topic) as {@code replay} of the same files.
 *
 * <p>Malformed CloudTrail and configuration messages between them become dead letters located by
 * topic, partition and offset, and change nothing else.
 */
class StreamCloudTrailKafkaITCase {
    // Topics of their own: the broker is shared with the other tests of the JVM.
    static final String FLOWS = "parity-flow-logs";
    static final String CLOUDTRAIL = "parity-cloudtrail";
    static final String CONFIG = "parity-network-config";
    static final Path SNAPSHOTS = SampleLogs.DIR.resolve("config");

    @TempDir static Path tmp;
    static KafkaBroker kafka;
    static Path replay;

    /** Location (topic, partition, offset) of each malformed message, and a part of its reason. */
    static final Map<String, String> MALFORMED = new LinkedHashMap<>();

    static final List<String> SHAPES_SENT = new ArrayList<>();

    @BeforeAll
    static void produceAndRunBoth() throws Exception {
        kafka = KafkaBroker.shared();
        kafka.createTopic(FLOWS, 2);
        kafka.createTopic(CLOUDTRAIL, 2);
        kafka.createTopic(CONFIG, 1);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            int i = 0;
            for (SampleLogMessages.Message m : SampleLogMessages.all(42)) {
                byte[] key = m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8);
                Integer partition = m.key() == null ? (i++ % 2) : null;
                producer.send(new ProducerRecord<>(FLOWS, partition, key, m.value()));
            }

            int n = 0;
            for (SampleCloudTrailMessages.Message m : SampleCloudTrailMessages.all(2)) {
                producer.send(new ProducerRecord<>(CLOUDTRAIL, m.partition(), null, m.value()));
                SHAPES_SENT.add(m.shape());
                if (n++ == 40) {
                    // Between good messages of partition 0.
                    malformed(producer, CLOUDTRAIL, 0, "not CloudTrail", "malformed JSON");
                }
            }
            malformed(
                    producer,
                    CLOUDTRAIL,
                    1,
                    "{\"detail-type\": \"AWS API Call via CloudTrail\", \"detail\": \"Decrypt\"}",
                    "detail: expected an object (the CloudTrail record), got a string");
            malformed(
                    producer,
                    CLOUDTRAIL,
                    1,
                    "{\"eventName\": \"Decrypt\", \"eventSource\": \"kms.amazonaws.com\"}",
                    "missing eventTime");
            sendMalformed(
                    producer,
                    CLOUDTRAIL,
                    1,
                    new byte[] {0x1f, (byte) 0x8b, 0x08, 0, 0x13, 0x37},
                    "not valid gzip");

            config(producer, snapshotOfEveryDocument("2026-11-02T09:00:00Z"), -1L);
            malformed(
                    producer,
                    CONFIG,
                    0,
                    "{\"captured_at\": \"2026-11-02T10:00:00Z\", \"documents\": [{\"SecurityGroups\":"
                            + " [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\","
                            + " \"FromPort\": \"x\", \"ToPort\": 22}]}]}]}",
                    "$.documents[0].SecurityGroups[0].IpPermissions[0].FromPort: expected an"
                            + " integer, got \"x\"");
            config(
                    producer,
                    gzip(
                            withCapturedAt(
                                    "2026-11-02T10:35:00Z",
                                    Files.readString(
                                            SNAPSHOTS.resolve(
                                                    "2026-11-02T10:35:00Z/describe-network-acls.json")))),
                    -1L);
            malformed(producer, CONFIG, 0, "NetworkAcls: []", "not valid JSON");
            config(
                    producer,
                    Files.readAllBytes(
                            SNAPSHOTS.resolve("2026-11-02T10:50:00Z/describe-network-acls.json")),
                    Instant.parse("2026-11-02T10:50:00Z").toEpochMilli());
            producer.flush();
        }

        replay = ReplayReference.withCloudTrail();

        StreamJob.Options stream = new StreamJob.Options();
        stream.bootstrapServers = kafka.bootstrapServers();
        stream.flowTopics = List.of(FLOWS);
        stream.cloudTrailTopics = List.of(CLOUDTRAIL);
        stream.configTopics = List.of(CONFIG);
        stream.groupId = "cloudtrail-parity";
        stream.outDir = tmp.resolve("stream").toString();
        stream.checkpointDir = tmp.resolve("checkpoints").toString();
        stream.savepointDir = tmp.resolve("savepoints").toString();
        stream.spec = JobSpec.defaults();
        stream.parallelism = 2;
        stream.bounded = true;
        JobClient job = StreamJob.start(stream);
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
    }

    static void malformed(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int partition,
            String value,
            String reason)
            throws Exception {
        sendMalformed(producer, topic, partition, value.getBytes(StandardCharsets.UTF_8), reason);
    }

    static void sendMalformed(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int partition,
            byte[] value,
            String reason)
            throws Exception {
        RecordMetadata md =
                producer.send(new ProducerRecord<>(topic, partition, null, value)).get();
        MALFORMED.put(
                "topic " + topic + " partition " + md.partition() + " offset " + md.offset(),
                reason);
    }

    static void config(KafkaProducer<byte[], byte[]> producer, byte[] value, long timestamp)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                CONFIG, 0, timestamp < 0 ? null : timestamp, null, value))
                .get();
    }

    /** {@code {"captured_at": ..., "documents": [...]}} of every document of a snapshot folder. */
    static byte[] snapshotOfEveryDocument(String time) throws Exception {
        List<String> documents = new ArrayList<>();
        try (var files = Files.list(SNAPSHOTS.resolve(time))) {
            for (Path f : files.sorted().toList()) {
                documents.add(Files.readString(f));
            }
        }
        return ("{\"captured_at\": \""
                        + time
                        + "\", \"documents\": ["
                        + String.join(",\n", documents)
                        + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One describe-* output with {@code captured_at} added beside its top-level key. */
    static byte[] withCapturedAt(String time, String document) {
        return document.replaceFirst("^\\s*\\{", "{\"captured_at\": \"" + time + "\", ")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    List<List<Object>> rows(DuckDb db, String query, String side, String table) throws Exception {
        Path out = side.equals("replay") ? replay : tmp.resolve(side);
        return db.rows(String.format(query, DuckDb.table(out, table)));
    }

    @Test
    void theTopicsCarriedEveryShape() {
        assertThat(SHAPES_SENT)
                .contains(
                        SampleCloudTrailMessages.WHOLE_GZIP,
                        SampleCloudTrailMessages.WHOLE_PLAIN,
                        SampleCloudTrailMessages.SINGLE_EVENT,
                        SampleCloudTrailMessages.EVENTBRIDGE,
                        SampleCloudTrailMessages.SKIPPED);
    }

    @Test
    void kmsUsageFromTheCloudTrailTopicEqualsTheReplays() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> expected =
                    rows(db, ReplayReference.KMS_USAGE_ROWS, "replay", "kms_usage");
            assertThat(expected).hasSizeGreaterThan(50);
            assertThat(rows(db, ReplayReference.KMS_USAGE_ROWS, "stream", "kms_usage"))
                    .isEqualTo(expected);
        }
    }

    /**
     * Every alert, ids included: the flow detectors with the configuration from the topic, the
     * posture finding of the topic's 09:00 snapshot, the KMS detectors and both correlated
     * incidents (key usage then egress needs the instance directory from the topic's snapshot;
     * config change then rejects needs the 10:35 NACL from the topic and the CloudTrail change).
     */
    @Test
    void alertsEqualTheReplaysIdsIncluded() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> expected = rows(db, ReplayReference.ALERT_ROWS, "replay", "alerts");
            assertThat(
                            rows(
                                    db,
                                    "SELECT category, count(*) FROM %s GROUP BY 1 ORDER BY 1",
                                    "replay",
                                    "alerts"))
                    .containsExactly(
                            List.of("anomalous_key_usage", 3L),
                            List.of("config_posture", 1L),
                            List.of("correlated_incident", 2L),
                            List.of("port_scan", 2L),
                            List.of("rejected_traffic_spike", 2L),
                            List.of("unexpected_egress", 2L));
            assertThat(rows(db, ReplayReference.ALERT_ROWS, "stream", "alerts"))
                    .isEqualTo(expected);
        }
    }

    @Test
    void flowSummaryAndRejectsWithTheConfigurationFromTheTopicEqualTheReplays() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(rows(db, ReplayReference.SUMMARY_ROWS, "stream", "flow_summary"))
                    .isEqualTo(rows(db, ReplayReference.SUMMARY_ROWS, "replay", "flow_summary"));
            String rejects = "SELECT * EXCLUDE (dt, hr) FROM %s ORDER BY ALL";
            List<List<Object>> expected = rows(db, rejects, "replay", "rejects");
            assertThat(
                            rows(
                                    db,
                                    "SELECT DISTINCT attributed_to FROM %s ORDER BY 1",
                                    "replay",
                                    "rejects"))
                    .as("the NACL change of the topic's 10:35 snapshot is named")
                    .contains(List.of("nacl:acl-06cc6be1805fdf179#90"));
            assertThat(rows(db, rejects, "stream", "rejects")).isEqualTo(expected);
        }
    }

    @Test
    void malformedCloudTrailAndConfigMessagesAreDeadLettersAtTheirTopicPartitionAndOffset()
            throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> rows =
                    rows(
                            db,
                            "SELECT source, location, reason FROM %s"
                                    + " WHERE source IN ('cloudtrail', 'config') ORDER BY location",
                            "stream",
                            "dead_letters");
            Map<String, String> byMessage = new LinkedHashMap<>();
            for (List<Object> r : rows) {
                String location = ((String) r.get(1)).replaceAll(":.*$", "");
                assertThat(byMessage.put(location, (String) r.get(2)))
                        .as("one dead letter per malformed message: %s", location)
                        .isNull();
                assertThat(r.get(0)).isEqualTo(location.contains(CONFIG) ? "config" : "cloudtrail");
            }
            assertThat(byMessage.keySet())
                    .as("the skipped digest file and KMS CMK Rotation event are not dead letters")
                    .containsExactlyInAnyOrderElementsOf(MALFORMED.keySet());
            MALFORMED.forEach(
                    (location, reason) ->
                            assertThat(byMessage.get(location)).as(location).contains(reason));
        }
    }

    @Test
    void aConfigTopicThatDoesNotExistExitsTwoNamingIt() {
        StringWriter err = new StringWriter();
        int code =
                Main.run(
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true),
                        "stream",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--flow-topic",
                        FLOWS,
                        "--config-topic",
                        "no-such-config",
                        "--bounded",
                        "--out",
                        tmp.resolve("no-such-config").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "flowtrail: --config-topic no-such-config: no such topic on "
                                + kafka.bootstrapServers()
                                + "\n");
    }

    @Test
    void theSamplesMalformedFlowLogLinesAreTheReplaysDeadLetters() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(
                            rows(
                                    db,
                                    "SELECT reason, raw FROM %s WHERE source = 'flow-log' ORDER BY ALL",
                                    "stream",
                                    "dead_letters"))
                    .hasSize(3)
                    .isEqualTo(
                            rows(
                                    db,
                                    "SELECT reason, raw FROM %s ORDER BY ALL",
                                    "replay",
                                    "dead_letters"));
        }
    }
}
