package io.flowtrail.job;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.sink.ParquetTable;
import io.flowtrail.sink.TableSinks;
import io.flowtrail.sink.Tables;
import io.flowtrail.source.FlowLogSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The batch forensic replay: bounded flow-log files in, Parquet tables out. Runs on the embedded
 * MiniCluster from {@code java -jar}, or on a cluster under {@code flink run}.
 */
public final class ReplayJob {
    /** Everything a replay needs, validated by the command line. */
    public static final class Options {
        public List<String> flowLogPaths;
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

    public static Result run(Options o, PrintWriter err) throws Exception {
        long started = System.nanoTime();
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(o.mode);
        env.setParallelism(o.parallelism);
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
        Pipeline.Outputs out = Pipeline.build(flows, o.spec);
        sink(out.flowSummary, Tables.FLOW_SUMMARY, o, r -> r.windowStart);
        sink(out.deadLetters, Tables.DEAD_LETTERS, o, DeadLetter::partitionTimeMillis);

        JobClient client = env.executeAsync("flowtrail replay");
        JobExecutionResult result = waitWithProgress(client, o.progress ? err : null, started);
        Map<String, Long> counters = new LinkedHashMap<>();
        result.getAllAccumulatorResults()
                .forEach((k, v) -> counters.put(k, ((Number) v).longValue()));
        Result r = new Result(counters, Duration.ofNanos(System.nanoTime() - started));
        for (ParquetTable<?> table :
                List.of(Tables.FLOW_SUMMARY, Tables.DEAD_LETTERS, Tables.ALERTS)) {
            long rows = r.count(RunCounters.rows(table.name()));
            r.rowsPerTable.put(table.name(), rows);
            ensureTableExists(table, Path.of(o.outDir), o.spec);
        }
        return r;
    }

    private static <T> void sink(
            DataStream<T> rows, ParquetTable<T> table, Options o, ParquetTable.Int64<T> time) {
        rows.map(new RowCounter<T>(table.name()))
                .returns(rows.getType())
                .name("count " + table.name())
                .uid("count-" + table.name())
                .sinkTo(TableSinks.parquet(table, o.outDir, o.spec.compression(), time))
                .name(table.name())
                .uid("sink-" + table.name());
    }

    private static JobExecutionResult waitWithProgress(
            JobClient client, PrintWriter err, long started) throws Exception {
        var done = client.getJobExecutionResult();
        long nextReport = System.nanoTime() + 5_000_000_000L;
        while (!done.isDone()) {
            try {
                return done.get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (err != null && System.nanoTime() > nextReport) {
                    nextReport = System.nanoTime() + 5_000_000_000L;
                    reportProgress(client, err, started);
                }
            }
        }
        return done.get();
    }

    private static void reportProgress(JobClient client, PrintWriter err, long started) {
        try {
            Map<String, Object> acc =
                    client.getAccumulators().get(2, java.util.concurrent.TimeUnit.SECONDS);
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

    /**
     * A table that got no rows in this run still gets one zero-row Parquet file, in the partition
     * of the run's start hour, so that readers always find its schema (dashboards can be built
     * against {@code alerts} before the first alert).
     */
    static <T> void ensureTableExists(ParquetTable<T> table, Path outDir, JobSpec spec)
            throws IOException {
        Path dir = outDir.resolve(table.name());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                if (files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"))) {
                    return;
                }
            }
        }
        Path file =
                dir.resolve(TableSinks.partition(System.currentTimeMillis()))
                        .resolve("part-empty.parquet");
        Files.createDirectories(file.getParent());
        try (ParquetWriter<T> w = table.writer(new LocalOutputFile(file), spec.compression())) {
            // no rows: the footer carries the schema
        }
    }
}
