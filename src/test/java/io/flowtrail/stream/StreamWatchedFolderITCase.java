package io.flowtrail.stream;

import static io.flowtrail.support.StreamTestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.job.StreamJob;
import io.flowtrail.source.TimeOrderSplitAssigner;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.ReplayReference;
import io.flowtrail.support.SampleCloudTrailMessages;
import io.flowtrail.support.SampleLogMessages;
import io.flowtrail.support.SampleLogs;
import io.flowtrail.support.StreamTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stream --watch DIR --watch-cloudtrail DIR}: the sample's flow-log objects (gzip, one
 * two-member gzip, the CloudWatch payload) and CloudTrail log files (gzip, one of them plain JSON,
 * and the digest file, which is skipped) dropped into their folders one by one while the job runs,
 * in delivery order, as S3 delivers them, are each read once: the tables equal the replay's,
 * kms_usage and the KMS and correlated alerts included.
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
        replay = ReplayReference.withCloudTrail();
        Path watched = Files.createDirectories(tmp.resolve("landing"));
        Path watchedCloudTrail = Files.createDirectories(tmp.resolve("cloudtrail-landing"));
        stream = StreamTestCluster.options(tmp.resolve("stream"), null);
        stream.watchedFlowPaths = List.of(watched.toString());
        stream.watchedCloudTrailPaths = List.of(watchedCloudTrail.toString());
        stream.watchInterval = Duration.ofMillis(300);
        JobClient job = StreamJob.start(stream);

        List<Path> objects;
        Path root = SampleLogs.DIR.resolve("flow-logs");
        try (Stream<Path> walk = Files.walk(root)) {
            objects = walk.filter(Files::isRegularFile).toList();
        }
        List<Path> cloudTrail = new ArrayList<>(SampleCloudTrailMessages.logFiles());
        cloudTrail.add(SampleCloudTrailMessages.digestFile());
        List<Path> all = new ArrayList<>(objects);
        all.addAll(cloudTrail);
        all.sort(
                Comparator.comparingLong(
                        p -> TimeOrderSplitAssigner.timeInName(p.getFileName().toString(), 0)));
        Path plain = SampleCloudTrailMessages.logFiles().get(5);
        int i = 0;
        for (Path object : all) {
            boolean isCloudTrail = cloudTrail.contains(object);
            String name = String.format("%03d-", i++) + object.getFileName();
            byte[] content = Files.readAllBytes(object);
            if (object.equals(plain)) {
                name = name.replace(".json.gz", ".json");
                content = SampleCloudTrailMessages.gunzip(content);
            }
            drop(isCloudTrail ? watchedCloudTrail : watched, name, content);
            Thread.sleep(100);
        }
        Files.write(watched.resolve("999-watermark.log"), SampleLogMessages.watermarkPusher());
        drop(watchedCloudTrail, "999-watermark.json", cloudTrailWatermarkPusher());
        Path out = Path.of(stream.outDir);
        try (DuckDb db = new DuckDb()) {
            long calls =
                    db.count(String.format(CALLS_IN_THE_HOUR, DuckDb.table(replay, "kms_usage")));
            long alerts =
                    db.count(String.format(ALERTS_OF_THE_HOUR, DuckDb.table(replay, "alerts")));
            await(
                    "every flow, KMS call and alert of the hour",
                    Duration.ofMinutes(3),
                    () ->
                            db.count(
                                                    String.format(
                                                            ReplayReference.FLOWS_IN_THE_HOUR,
                                                            DuckDb.table(out, "flow_summary")))
                                            >= OK_RECORDS
                                    && db.count(
                                                    String.format(
                                                            CALLS_IN_THE_HOUR,
                                                            DuckDb.table(out, "kms_usage")))
                                            >= calls
                                    && db.count(
                                                    String.format(
                                                            ALERTS_OF_THE_HOUR,
                                                            DuckDb.table(out, "alerts")))
                                            >= alerts);
            Thread.sleep(3000); // more checkpoints: a file read twice would show now
        }
        job.cancel().get();
    }

    static final String CALLS_IN_THE_HOUR =
            "SELECT coalesce(sum(calls), 0) FROM %s"
                    + " WHERE window_start < TIMESTAMPTZ '2026-11-02 11:00:00+00'";

    static final String ALERTS_OF_THE_HOUR =
            "SELECT count(*) FROM %s WHERE window_start < TIMESTAMPTZ '2026-11-02 11:00:00+00'";

    /** Written under a hidden name, then renamed: a watcher never sees half a file. */
    static void drop(Path folder, String name, byte[] content) throws Exception {
        Path hidden = folder.resolve("." + name);
        Files.write(hidden, content);
        Files.move(hidden, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * One of the sample's own KMS calls again at 11:30, by the same principal on the same key (no
     * detector takes note): it moves CloudTrail's event time past every window of the hour, as the
     * flow logs' pusher does theirs.
     */
    static byte[] cloudTrailWatermarkPusher() throws Exception {
        List<Path> files = SampleCloudTrailMessages.logFiles();
        ObjectMapper json = new ObjectMapper();
        ObjectNode file =
                (ObjectNode)
                        json.readTree(
                                SampleCloudTrailMessages.gunzip(
                                        Files.readAllBytes(files.get(files.size() - 1))));
        ObjectNode record = null;
        for (JsonNode r : file.get("Records")) {
            if (r.get("eventName").asText().equals("Decrypt")) {
                record = (ObjectNode) r;
                break;
            }
        }
        record.put("eventTime", "2026-11-02T11:30:00Z");
        record.put("eventID", "flowtrail-test-watermark-pusher");
        ObjectNode pusher = json.createObjectNode();
        pusher.putArray("Records").add(record);
        return json.writeValueAsBytes(pusher);
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
    void everyCloudTrailFileIsReadOnceKmsUsageEqualsTheReplays() throws Exception {
        try (DuckDb db = new DuckDb()) {
            assertThat(
                            db.rows(
                                    String.format(
                                            ReplayReference.KMS_USAGE_ROWS,
                                            DuckDb.table(Path.of(stream.outDir), "kms_usage"))))
                    .hasSizeGreaterThan(50)
                    .isEqualTo(
                            db.rows(
                                    String.format(
                                            ReplayReference.KMS_USAGE_ROWS,
                                            DuckDb.table(replay, "kms_usage"))));
            assertThat(
                            db.count(
                                    "SELECT count(*) FROM "
                                            + DuckDb.table(Path.of(stream.outDir), "dead_letters")
                                            + " WHERE source = 'cloudtrail'"))
                    .as("the digest file is skipped, not a dead letter")
                    .isZero();
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
