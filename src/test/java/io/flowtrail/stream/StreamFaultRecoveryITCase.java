package io.flowtrail.stream;

import static io.flowtrail.support.StreamTestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.job.StreamJob;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.KafkaBroker;
import io.flowtrail.support.ReplayReference;
import io.flowtrail.support.SampleLogMessages;
import io.flowtrail.support.SampleLogs;
import io.flowtrail.support.StreamTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill a TaskManager mid-stream, after at least one checkpoint: the job restarts from its latest
 * checkpoint on the TaskManager left (and one started in its place), and the tables end up with
 * every flow of the input exactly once, equal to the replay's; the alerts on the topic (at least
 * once) de-duplicate by id to the replay's set.
 */
class StreamFaultRecoveryITCase {
    static final String FLOWS = "flows";
    static final String ALERTS = "alerts";
    static final long OK_RECORDS = SampleLogs.expected().get("totals").get("ok").asLong();

    @TempDir static Path tmp;
    static KafkaBroker kafka;
    static StreamTestCluster cluster;
    static Path replay;
    static StreamJob.Options stream;

    @BeforeAll
    static void killATaskManagerMidStream() throws Exception {
        kafka = new KafkaBroker();
        kafka.createTopic(FLOWS, 2);
        kafka.createTopic(ALERTS, 1);
        cluster = new StreamTestCluster();
        replay = ReplayReference.run(tmp.resolve("replay"));

        List<SampleLogMessages.Message> messages = SampleLogMessages.all(11);
        stream = StreamTestCluster.options(tmp.resolve("stream"), kafka.bootstrapServers());
        stream.flowTopics = List.of(FLOWS);
        stream.groupId = "fault";
        stream.alertsTopic = ALERTS;
        JobClient job;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            // The first half of the hour, then the job, then a checkpoint.
            send(
                    producer,
                    messages.stream()
                            .filter(m -> m.objectTime().compareTo("20261102T1030Z") < 0)
                            .toList());
            job = StreamJob.start(stream);
            await(
                    "a completed checkpoint",
                    Duration.ofMinutes(2),
                    () -> StreamTestCluster.hasCompletedCheckpoint(Path.of(stream.checkpointDir)));

            // Kill both original TaskManagers, one after the other (the job's tasks are on one
            // or both), starting a fresh one each time so that there are slots to restart on.
            cluster.miniCluster.terminateTaskManager(0).get();
            cluster.miniCluster.startTaskManager();
            cluster.miniCluster.terminateTaskManager(1).get();
            cluster.miniCluster.startTaskManager();

            // The rest of the hour, and a record that moves the watermark past all of it.
            send(
                    producer,
                    messages.stream()
                            .filter(m -> m.objectTime().compareTo("20261102T1030Z") >= 0)
                            .toList());
            for (int p = 0; p < 2; p++) {
                producer.send(
                        new ProducerRecord<>(FLOWS, p, null, SampleLogMessages.watermarkPusher()));
            }
            producer.flush();
        }
        Path out = Path.of(stream.outDir);
        try (DuckDb db = new DuckDb()) {
            await(
                    "every flow of the hour in flow_summary",
                    Duration.ofMinutes(3),
                    () ->
                            db.count(
                                                    String.format(
                                                            ReplayReference.FLOWS_IN_THE_HOUR,
                                                            DuckDb.table(out, "flow_summary")))
                                            >= OK_RECORDS
                                    && db.count(
                                                    "SELECT count(*) FROM "
                                                            + DuckDb.table(out, "alerts"))
                                            >= 7);
            Thread.sleep(3000); // a checkpoint more: anything doubled would show now
        }
        failuresSeen = 0;
        for (var failure :
                cluster.miniCluster
                        .getExecutionGraphInfo(job.getJobID())
                        .get()
                        .getExceptionHistory()) {
            failuresSeen++;
        }
        job.cancel().get();
    }

    static int failuresSeen;

    @Test
    void theJobReallyFailedAndRestarted() {
        assertThat(failuresSeen).isPositive();
    }

    static void send(
            KafkaProducer<byte[], byte[]> producer, List<SampleLogMessages.Message> messages) {
        int i = 0;
        for (SampleLogMessages.Message m : messages) {
            byte[] key = m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8);
            Integer partition = m.key() == null ? (i++ % 2) : null;
            producer.send(new ProducerRecord<>(FLOWS, partition, key, m.value()));
        }
        producer.flush();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theFlowSumsEqualTheInputNothingLostNothingDoubled() throws Exception {
        try (DuckDb db = new DuckDb()) {
            long flows =
                    db.count(
                            String.format(
                                    ReplayReference.FLOWS_IN_THE_HOUR,
                                    DuckDb.table(Path.of(stream.outDir), "flow_summary")));
            assertThat(flows).isEqualTo(OK_RECORDS);
        }
    }

    @Test
    void theFlowSummaryRowsEqualTheReplays() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> r =
                    db.rows(
                            String.format(
                                    ReplayReference.SUMMARY_ROWS,
                                    DuckDb.table(replay, "flow_summary")));
            List<List<Object>> s =
                    db.rows(
                            String.format(
                                    ReplayReference.SUMMARY_ROWS,
                                    DuckDb.table(Path.of(stream.outDir), "flow_summary")));
            assertThat(s).isEqualTo(r);
        }
    }

    @Test
    void theAlertsTableEqualsTheReplays() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(
                            db.rows(
                                    String.format(
                                            ReplayReference.ALERT_ROWS,
                                            DuckDb.table(Path.of(stream.outDir), "alerts"))))
                    .isEqualTo(
                            db.rows(
                                    String.format(
                                            ReplayReference.ALERT_ROWS,
                                            DuckDb.table(replay, "alerts"))));
        }
    }

    @Test
    void theAlertsOnTheTopicDeduplicateToTheReplaysIds() throws Exception {
        Set<String> onTopic =
                kafka.readAll(ALERTS).stream()
                        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                        .collect(Collectors.toCollection(TreeSet::new));
        try (DuckDb db = new DuckDb()) {
            Set<String> ids =
                    db.rows("SELECT alert_id FROM " + DuckDb.table(replay, "alerts")).stream()
                            .map(r -> (String) r.get(0))
                            .collect(Collectors.toCollection(TreeSet::new));
            assertThat(ids).hasSize(7);
            assertThat(onTopic).isEqualTo(ids);
        }
    }
}
