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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop with a savepoint at 10:45 of the sample hour, start again from it, feed the rest: the state
 * survives. The new-external-destination alert on batch-b at 10:50 needs batch-b's warm-up (its
 * first window was 10:00, six windows of learning) and the destinations it learnt; a job started
 * from scratch at 10:45 would still be warming up and stay quiet (the control run shows it). The
 * tables are whole: nothing lost, nothing doubled across the stop.
 */
class StreamSavepointITCase {
    static final String FLOWS = "flows";
    static final String BATCH_B = "eni-0c4b11609cef605c9";
    static final long OK_RECORDS = SampleLogs.expected().get("totals").get("ok").asLong();

    @TempDir static Path tmp;
    static KafkaBroker kafka;
    static StreamTestCluster cluster;
    static Path replay;
    static Path restored;
    static Path fromScratch;
    static String restoredFrom;
    static String expectedSavepoint;

    @Test
    void theSecondRunStartedFromTheSavepoint() {
        assertThat(restoredFrom).isEqualTo(expectedSavepoint);
    }

    @BeforeAll
    static void stopWithASavepointAndResume() throws Exception {
        kafka = new KafkaBroker();
        kafka.createTopic(FLOWS, 2);
        kafka.createTopic("late-" + FLOWS, 2);
        cluster = new StreamTestCluster();
        replay = ReplayReference.run(tmp.resolve("replay"));
        List<SampleLogMessages.Message> messages = SampleLogMessages.all(5);
        List<SampleLogMessages.Message> before =
                messages.stream()
                        .filter(m -> m.objectTime().compareTo("20261102T1045Z") < 0)
                        .toList();
        List<SampleLogMessages.Message> after =
                messages.stream()
                        .filter(m -> m.objectTime().compareTo("20261102T1045Z") >= 0)
                        .toList();

        StreamJob.Options first =
                StreamTestCluster.options(tmp.resolve("run"), kafka.bootstrapServers());
        first.flowTopics = List.of(FLOWS);
        first.groupId = "savepoint";
        String savepoint;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            send(producer, FLOWS, before);
            JobClient job = StreamJob.start(first);
            Path out = Path.of(first.outDir);
            try (DuckDb db = new DuckDb()) {
                // Every window the watermark has closed (up to 10:20) committed: the input is read.
                await(
                        "the first part read",
                        Duration.ofMinutes(2),
                        () ->
                                db.count(
                                                "SELECT count(*) FROM "
                                                        + DuckDb.table(out, "flow_summary")
                                                        + " WHERE window_start = TIMESTAMPTZ '2026-11-02 10:20:00+00'")
                                        > 0);
            }
            savepoint =
                    job.stopWithSavepoint(false, first.savepointDir, SavepointFormatType.CANONICAL)
                            .get();

            StreamJob.Options second =
                    StreamTestCluster.options(tmp.resolve("run"), kafka.bootstrapServers());
            second.flowTopics = List.of(FLOWS);
            second.groupId = "savepoint";
            second.fromSavepoint = savepoint;
            restored = Path.of(second.outDir);
            JobClient resumed = StreamJob.start(second);
            Thread.sleep(3000);
            send(producer, FLOWS, after);
            pushWatermark(producer, FLOWS);
            var stats =
                    cluster.miniCluster
                            .getExecutionGraph(resumed.getJobID())
                            .get()
                            .getCheckpointStatsSnapshot();
            System.out.println(
                    "RESTOREDFROM "
                            + (stats == null ? null : stats.getLatestRestoredCheckpoint())
                            + " savepoint "
                            + savepoint);
            runUntilTheHourIsIn(resumed, restored);

            // Control: the second part alone, from scratch.
            send(producer, "late-" + FLOWS, after);
            pushWatermark(producer, "late-" + FLOWS);
            StreamJob.Options control =
                    StreamTestCluster.options(tmp.resolve("control"), kafka.bootstrapServers());
            control.flowTopics = List.of("late-" + FLOWS);
            control.groupId = "control";
            fromScratch = Path.of(control.outDir);
            JobClient c = StreamJob.start(control);
            try (DuckDb db = new DuckDb()) {
                await(
                        "the control run's windows",
                        Duration.ofMinutes(2),
                        () ->
                                db.count(
                                                "SELECT count(*) FROM "
                                                        + DuckDb.table(fromScratch, "flow_summary")
                                                        + " WHERE window_start = TIMESTAMPTZ '2026-11-02 10:55:00+00'")
                                        > 0);
                Thread.sleep(2000);
            }
            c.cancel().get();
        }
    }

    static void runUntilTheHourIsIn(JobClient job, Path out) throws Exception {
        try (DuckDb db = new DuckDb()) {
            await(
                    "every flow of the hour",
                    Duration.ofMinutes(3),
                    () ->
                            db.count(
                                            String.format(
                                                    ReplayReference.FLOWS_IN_THE_HOUR,
                                                    DuckDb.table(out, "flow_summary")))
                                    >= OK_RECORDS);
            Thread.sleep(2000);
        }
        job.cancel().get();
    }

    static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            List<SampleLogMessages.Message> messages) {
        int i = 0;
        for (SampleLogMessages.Message m : messages) {
            byte[] key = m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8);
            producer.send(
                    new ProducerRecord<>(
                            topic, m.key() == null ? (i++ % 2) : null, key, m.value()));
        }
        producer.flush();
    }

    static void pushWatermark(KafkaProducer<byte[], byte[]> producer, String topic) {
        for (int p = 0; p < 2; p++) {
            producer.send(
                    new ProducerRecord<>(topic, p, null, SampleLogMessages.watermarkPusher()));
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

    static long newDestinationAlerts(Path out) throws Exception {
        try (DuckDb db = new DuckDb()) {
            return db.count(
                    "SELECT count(*) FROM "
                            + DuckDb.table(out, "alerts")
                            + " WHERE detector = 'new_external_destination' AND interface_id = '"
                            + BATCH_B
                            + "'");
        }
    }

    @Test
    void aDetectionThatNeedsItsWarmUpStillFiresAfterTheRestart() throws Exception {
        assertThat(newDestinationAlerts(restored)).isEqualTo(1);
    }

    @Test
    void withoutTheSavepointTheSameInputStaysInWarmUp() throws Exception {
        assertThat(newDestinationAlerts(fromScratch)).isZero();
    }

    @Test
    void theTablesAreWholeAcrossTheStop() throws Exception {
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
                                    DuckDb.table(restored, "flow_summary")));
            assertThat(s).isEqualTo(r);
            assertThat(
                            db.rows(
                                    String.format(
                                            ReplayReference.ALERT_ROWS,
                                            DuckDb.table(restored, "alerts"))))
                    .isEqualTo(
                            db.rows(
                                    String.format(
                                            ReplayReference.ALERT_ROWS,
                                            DuckDb.table(replay, "alerts"))));
        }
    }
}
