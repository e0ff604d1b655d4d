package io.flowtrail.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.job.JobSpec;
import io.flowtrail.job.StreamJob;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.KafkaBroker;
import io.flowtrail.support.ReplayReference;
import io.flowtrail.support.SampleLogMessages;
import io.flowtrail.support.SampleLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample-logs input produced to a real Kafka broker (the default-format flow log one record per
 * message, shuffled within each five-minute object; the version-5 objects and the CloudWatch
 * payload whole), read by {@code stream} until caught up, gives the same tables as {@code replay}
 * of the same files. Three malformed messages (not JSON, JSON of the wrong shape, binary) become
 * dead letters located by topic, partition and offset, and the job carries on.
 */
class StreamKafkaParityITCase {
    static final String TOPIC = "flow-logs";
    static final String ALERTS = "alerts";

    @TempDir static Path tmp;
    static KafkaBroker kafka;
    static List<String> garbageLocations = new java.util.ArrayList<>();

    @BeforeAll
    static void produceAndRunBoth() throws Exception {
        kafka = new KafkaBroker();
        kafka.createTopic(TOPIC, 2);
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            int i = 0;
            for (SampleLogMessages.Message m : SampleLogMessages.all(42)) {
                byte[] key = m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8);
                Integer partition = m.key() == null ? (i++ % 2) : null;
                producer.send(new ProducerRecord<>(TOPIC, partition, key, m.value()));
            }
            byte[][] garbage = {
                "this is not a flow log".getBytes(StandardCharsets.UTF_8),
                "{\"Records\": [{\"eventName\": \"Decrypt\"}]}".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, (byte) 0xff, 0x13, 0x37, (byte) 0x80, 0x0a, 0x01}
            };
            for (byte[] g : garbage) {
                RecordMetadata md = producer.send(new ProducerRecord<>(TOPIC, 1, null, g)).get();
                garbageLocations.add(
                        "topic "
                                + TOPIC
                                + " partition "
                                + md.partition()
                                + " offset "
                                + md.offset());
            }
            producer.flush();
        }

        ReplayReference.run(tmp.resolve("replay"));
        kafka.createTopic(ALERTS, 1);

        StreamJob.Options stream = new StreamJob.Options();
        stream.bootstrapServers = kafka.bootstrapServers();
        stream.flowTopics = List.of(TOPIC);
        stream.groupId = "parity";
        stream.outDir = tmp.resolve("stream").toString();
        stream.checkpointDir = tmp.resolve("checkpoints").toString();
        stream.savepointDir = tmp.resolve("savepoints").toString();
        stream.spec = JobSpec.defaults();
        stream.parallelism = 2;
        stream.bounded = true;
        stream.configPaths = List.of(SampleLogs.DIR.resolve("config").toString());
        stream.alertsTopic = ALERTS;
        JobClient job = StreamJob.start(stream);
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static final String SUMMARY =
            "SELECT window_start, window_end, account_id, vpc_id, subnet_id, interface_id,"
                    + " direction, action, protocol, flows, packets, bytes, distinct_src_addrs,"
                    + " distinct_dst_addrs, distinct_dst_ports FROM %s ORDER BY ALL";

    @Test
    void flowSummaryFromKafkaEqualsTheReplayOfTheSameFiles() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> replay =
                    db.rows(
                            String.format(
                                    SUMMARY, DuckDb.table(tmp.resolve("replay"), "flow_summary")));
            List<List<Object>> stream =
                    db.rows(
                            String.format(
                                    SUMMARY, DuckDb.table(tmp.resolve("stream"), "flow_summary")));
            assertThat(replay).hasSizeGreaterThan(100);
            assertThat(stream).isEqualTo(replay);
        }
    }

    @Test
    void rejectsAndAlertsFromKafkaEqualTheReplays() throws Exception {
        try (DuckDb db = new DuckDb()) {
            for (String table : List.of("rejects", "alerts")) {
                String q = "SELECT * EXCLUDE (dt, hr) FROM %s ORDER BY ALL";
                assertThat(db.rows(String.format(q, DuckDb.table(tmp.resolve("stream"), table))))
                        .as(table)
                        .isEqualTo(
                                db.rows(
                                        String.format(
                                                q, DuckDb.table(tmp.resolve("replay"), table))));
            }
        }
    }

    @Test
    void theAlertsOnTheTopicAreTheReplaysIdsIncluded() throws Exception {
        java.util.Set<String> onTopic = new java.util.TreeSet<>();
        for (var r : kafka.readAll(ALERTS)) {
            onTopic.add(new String(r.key(), StandardCharsets.UTF_8));
        }
        try (DuckDb db = new DuckDb()) {
            java.util.Set<String> ids = new java.util.TreeSet<>();
            for (List<Object> row :
                    db.rows(
                            "SELECT alert_id FROM "
                                    + DuckDb.table(tmp.resolve("replay"), "alerts"))) {
                ids.add((String) row.get(0));
            }
            assertThat(ids).hasSize(7);
            assertThat(onTopic).isEqualTo(ids);
        }
    }

    @Test
    void theSamplesMalformedLinesAreDeadLettersInBothWithTheSameReasons() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> replay =
                    db.rows(
                            "SELECT reason, raw FROM "
                                    + DuckDb.table(tmp.resolve("replay"), "dead_letters")
                                    + " ORDER BY ALL");
            List<List<Object>> stream =
                    db.rows(
                            "SELECT reason, raw FROM "
                                    + DuckDb.table(tmp.resolve("stream"), "dead_letters")
                                    + " WHERE location LIKE 'topic flow-logs partition % line 1'"
                                    + " AND raw LIKE '2 111122223333 %' ORDER BY ALL");
            assertThat(replay).hasSize(3);
            assertThat(stream).isEqualTo(replay);
        }
    }

    @Test
    void malformedMessagesAreDeadLettersWithTopicPartitionAndOffset() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> rows =
                    db.rows(
                            "SELECT location, reason FROM "
                                    + DuckDb.table(tmp.resolve("stream"), "dead_letters")
                                    + " WHERE raw NOT LIKE '2 111122223333 %' ORDER BY location");
            // A message is located by topic, partition and offset (then its line or envelope).
            assertThat(rows)
                    .extracting(
                            r -> ((String) r.get(0)).replaceAll("( line \\d+|:envelope .*)$", ""))
                    .containsOnlyElementsOf(garbageLocations)
                    .containsAll(garbageLocations);
            assertThat(rows)
                    .extracting(r -> (String) r.get(1))
                    .anyMatch(
                            reason -> reason.contains("not a CloudWatch Logs subscription payload"))
                    .anyMatch(reason -> reason.contains("control byte"));
        }
    }
}
