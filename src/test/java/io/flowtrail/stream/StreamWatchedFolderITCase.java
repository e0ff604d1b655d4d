package io.flowtrail.stream;

import static io.flowtrail.support.StreamTestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.job.StreamJob;
import io.flowtrail.source.TimeOrderSplitAssigner;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.ReplayReference;
import io.flowtrail.support.SampleLogMessages;
import io.flowtrail.support.SampleLogs;
import io.flowtrail.support.StreamTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stream --watch DIR}: the sample's flow-log objects (gzip, one two-member gzip, the
 * CloudWatch payload) dropped into the folder one by one while the job runs, as S3 delivers them,
 * are each read once: the tables equal the replay's.
 */
class StreamWatchedFolderITCase {
    static final long OK_RECORDS = SampleLogs.expected().get("totals").get("ok").asLong();

    @TempDir static Path tmp;
    static StreamTestCluster cluster;
    static Path replay;
    static StreamJob.Options stream;

    @BeforeAll
    static void dropFilesWhileTheJobRuns() throws Exception {
        cluster = new StreamTestCluster();
        replay = ReplayReference.run(tmp.resolve("replay"));
        Path watched = Files.createDirectories(tmp.resolve("landing"));
        stream = StreamTestCluster.options(tmp.resolve("stream"), null);
        stream.watchedFlowPaths = List.of(watched.toString());
        stream.watchInterval = Duration.ofMillis(300);
        JobClient job = StreamJob.start(stream);

        List<Path> objects;
        Path root = SampleLogs.DIR.resolve("flow-logs");
        try (Stream<Path> walk = Files.walk(root)) {
            objects =
                    walk.filter(Files::isRegularFile)
                            .sorted(
                                    Comparator.comparingLong(
                                            p ->
                                                    TimeOrderSplitAssigner.timeInName(
                                                            p.getFileName().toString(), 0)))
                            .toList();
        }
        int i = 0;
        for (Path object : objects) {
            // Written under a hidden name, then renamed: a watcher never sees half a file.
            Path hidden = watched.resolve("." + object.getFileName());
            Files.copy(object, hidden);
            Files.move(
                    hidden,
                    watched.resolve(String.format("%03d-", i++) + object.getFileName()),
                    StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(100);
        }
        Files.write(watched.resolve("999-watermark.log"), SampleLogMessages.watermarkPusher());
        Path out = Path.of(stream.outDir);
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
            Thread.sleep(3000); // more checkpoints: a file read twice would show now
        }
        job.cancel().get();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyFileIsReadOnceTheFlowSumsEqualTheInput() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(
                            db.count(
                                    String.format(
                                            ReplayReference.FLOWS_IN_THE_HOUR,
                                            DuckDb.table(Path.of(stream.outDir), "flow_summary"))))
                    .isEqualTo(OK_RECORDS);
        }
    }

    @Test
    void theTablesEqualTheReplays() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(
                            db.rows(
                                    String.format(
                                            ReplayReference.SUMMARY_ROWS,
                                            DuckDb.table(Path.of(stream.outDir), "flow_summary"))))
                    .isEqualTo(
                            db.rows(
                                    String.format(
                                            ReplayReference.SUMMARY_ROWS,
                                            DuckDb.table(replay, "flow_summary"))));
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
}
