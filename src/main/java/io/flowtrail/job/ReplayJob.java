package io.flowtrail.job;

import io.flowtrail.config.ConfigMessage;
import io.flowtrail.config.ConfigSnapshot;
import io.flowtrail.config.ConfigTimeline;
import io.flowtrail.config.InstanceDirectory;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.ConfigSnapshotReader;
import io.flowtrail.sink.ParquetTable;
import io.flowtrail.source.CloudTrailSources;
import io.flowtrail.source.FlowLogSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The batch forensic replay: bounded flow-log files in, Parquet tables out. Runs on the embedded
 * MiniCluster from {@code java -jar}, or on a cluster under {@code flink run}.
 */
public final class ReplayJob {
    /** Everything a replay needs, validated by the command line. */
    public static final class Options {
        public List<String> flowLogPaths;

        /** Configuration snapshot folders; empty for none. */
        public List<String> configPaths = List.of();

        /** CloudTrail files and folders; empty for none. */
        public List<String> cloudTrailPaths = List.of();

        public String outDir;
        public JobSpec spec;
        public int parallelism;
        public RuntimeExecutionMode mode = RuntimeExecutionMode.BATCH;
        public boolean progress = true;
    }

    /** The closing counts of a run. */
    public static final class Result {
        public final Map<String, Long> counters;
        public final Map<String, Long> rowsPerTable = new LinkedHashMap<>();
        public final Duration wallTime;

        Result(Map<String, Long> counters, Duration wallTime) {
            this.counters = counters;
            this.wallTime = wallTime;
        }

        public long count(String name) {
            return counters.getOrDefault(name, 0L);
        }

        public long read() {
            return count(RunCounters.READ);
        }

        public long summarised() {
            return count(RunCounters.TRAFFIC) - count(RunCounters.LATE);
        }

        public long noDataOrSkipData() {
            return count(RunCounters.NODATA) + count(RunCounters.SKIPDATA);
        }

        public long deadLetters() {
            return count(RunCounters.UNPARSED) + count(RunCounters.LATE);
        }

        /** Records read = summarised + NODATA/SKIPDATA + dead letters. */
        public boolean countsClose() {
            return read() == summarised() + noDataOrSkipData() + deadLetters();
        }
    }

    private ReplayJob() {}

    /**
     * The execution environment every Flowtrail job starts from: no Kryo, object reuse on, and on
     * the embedded MiniCluster a temporary folder of its own ({@link #ownTemporaryFolder}).
     */
    static StreamExecutionEnvironment environment(Configuration conf, int parallelism) {
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        if (!insideFlink()) {
            ownTemporaryFolder(conf);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * Whether this runs inside Flink ({@code flink run}, application mode), where the cluster runs
     * the job, rather than on an embedded MiniCluster.
     */
    public static boolean insideFlink() {
        return StreamExecutionEnvironment.getExecutionEnvironment()
                instanceof StreamContextEnvironment;
    }

    /**
     * Points the embedded MiniCluster's temporary files ({@code io.tmp.dirs}) at a folder of their
     * own under {@code java.io.tmpdir} (its REST endpoint's uploads too), deleted when the JVM
     * exits. The MiniCluster copies Flink's RPC system there (a 24 MB jar) and keeps its working
     * folders and the batch shuffle's and sorts' spill files there; it deletes them when it is
     * closed, which a command that exits as soon as its job is done does not wait for, so every
     * replay left a jar and folders behind. Under {@code flink run} the cluster's own setting
     * applies and nothing is done here.
     */
    static void ownTemporaryFolder(Configuration conf) {
        Path folder;
        try {
            folder = Files.createTempDirectory("flowtrail-");
        } catch (IOException | SecurityException e) {
            return; // Flink's default, java.io.tmpdir itself
        }
        conf.set(CoreOptions.TMP_DIRS, folder.toString());
        conf.set(WebOptions.TMP_DIR, folder.toString());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        Folders.delete(folder);
                                    } catch (IOException | UncheckedIOException e) {
                                        // best effort: the JVM is exiting
                                    }
                                },
                                "flowtrail-temp-cleanup"));
    }

    public static Result run(Options o, PrintWriter err) throws Exception {
        long started = System.nanoTime();
        Configuration conf = new Configuration();
        // A file source's fetcher can miss its shutdown hand-over and block until this timeout
        // (FLINK-40660); every record has been read by then, so a replay waits 2 s, not 30.
        conf.set(
                SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT,
                Long.getLong("flowtrail.source-close-timeout-ms", 2000L));
        // A batch shuffle is compressed (LZ4) by default, to spare the network between hosts. On
        // the embedded MiniCluster of java -jar it only goes to files in io.tmp.dirs and back, the
        // partial rows (random 64-bit hashes, mostly) shrink little, and compressing and
        // decompressing them cost about 5% of a replay's CPU time; the price is temporary disk
        // space for them uncompressed. A task executor setting: a cluster's task managers keep
        // their own.
        conf.set(
                NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC,
                NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        StreamExecutionEnvironment env = environment(conf, o.parallelism);
        env.setRuntimeMode(o.mode);
        if (o.mode == RuntimeExecutionMode.STREAMING) {
            // Bulk Parquet files are committed on checkpoints, the last one when input ends.
            env.enableCheckpointing(o.spec.checkpointInterval().toMillis());
        }

        DataStream<FlowRecord> flows =
                env.fromSource(
                                FlowLogSources.files(o.flowLogPaths, o.spec.fallbackFormat()),
                                Pipeline.flowWatermarks(o.spec),
                                "flow-log files")
                        .uid("flow-log-files");
        ConfigTimeline timeline = timeline(o.configPaths);
        DataStream<ConfigMessage> config = configSource(env, timeline);
        DataStream<CloudTrailEvent> cloudTrail = cloudTrailSource(env, o.cloudTrailPaths, o.spec);
        TableOutputs.attach(
                Pipeline.build(
                        flows,
                        config,
                        true,
                        timeline,
                        cloudTrail,
                        timeline == null ? null : InstanceDirectory.of(timeline),
                        o.spec),
                o.outDir,
                o.spec);

        JobClient client = env.executeAsync("flowtrail replay");
        JobExecutionResult result = waitWithProgress(client, o.progress ? err : null, started);
        Result r = new Result(counters(result), Duration.ofNanos(System.nanoTime() - started));
        for (ParquetTable<?> table : TableOutputs.written(o.spec)) {
            r.rowsPerTable.put(table.name(), r.count(RunCounters.rows(table.name())));
        }
        TableOutputs.ensureTablesExist(Path.of(o.outDir), o.spec);
        return r;
    }

    /**
     * The snapshots under the {@code --config} paths, read (and checked: a bad document is a {@link
     * io.flowtrail.parse.ConfigException} naming the file and JSON path) when the job is built;
     * null when there are none.
     */
    static ConfigTimeline timeline(List<String> paths) {
        return paths.isEmpty()
                ? null
                : ConfigSnapshotReader.read(paths.stream().map(Path::of).toList());
    }

    /** A timeline's versions as a bounded broadcast source, ended by the marker; null for none. */
    static DataStream<ConfigMessage> configSource(
            StreamExecutionEnvironment env, ConfigTimeline timeline) {
        if (timeline == null) {
            return null;
        }
        List<ConfigMessage> messages = new ArrayList<>();
        for (ConfigSnapshot version : timeline.versions()) {
            messages.add(ConfigMessage.of(version));
        }
        messages.add(ConfigMessage.end());
        return env.fromData(messages, TypeInformation.of(ConfigMessage.class))
                .name("config snapshots")
                .uid("config-snapshots");
    }

    /** CloudTrail files as a bounded source with event time; null for none. */
    static DataStream<CloudTrailEvent> cloudTrailSource(
            StreamExecutionEnvironment env, List<String> paths, JobSpec spec) {
        if (paths.isEmpty()) {
            return null;
        }
        return env.fromSource(
                        CloudTrailSources.files(paths),
                        Pipeline.cloudTrailWatermarks(spec),
                        "CloudTrail files")
                .uid("cloudtrail-files");
    }

    static Map<String, Long> counters(JobExecutionResult result) {
        Map<String, Long> counters = new LinkedHashMap<>();
        result.getAllAccumulatorResults()
                .forEach(
                        (k, v) -> {
                            if (v instanceof Number) {
                                counters.put(k, ((Number) v).longValue());
                            }
                        });
        return counters;
    }

    /** Waits for the job, printing records read and records/s every 5 s when {@code err} is set. */
    static JobExecutionResult waitWithProgress(JobClient client, PrintWriter err, long started)
            throws Exception {
        CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
        long nextReport = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return done.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (err != null && System.nanoTime() > nextReport) {
                    nextReport = System.nanoTime() + 5_000_000_000L;
                    reportProgress(client, err, started);
                }
            }
        }
    }

    private static void reportProgress(JobClient client, PrintWriter err, long started) {
        try {
            Map<String, Object> acc = client.getAccumulators().get(2, TimeUnit.SECONDS);
            Object read = acc.get(RunCounters.READ);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (read instanceof Number) {
                long n = ((Number) read).longValue();
                err.printf(
                        "flowtrail: %,d records read in %.0f s (%,.0f records/s)%n",
                        n, seconds, n / seconds);
            } else {
                err.printf("flowtrail: running, %.0f s%n", seconds);
            }
            err.flush();
        } catch (Exception e) {
            // Progress is best effort; the closing summary has the exact counts.
        }
    }
}
