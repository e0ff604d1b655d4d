package io.flowtrail.job;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.sink.ParquetTable;
import io.flowtrail.sink.TableSinks;
import io.flowtrail.sink.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Attaches the pipeline's outputs to the Parquet tables under an output folder: one way, for every
 * job.
 */
public final class TableOutputs {
    private TableOutputs() {}

    /** The tables every run writes, in the order the summary lists them. */
    public static final List<ParquetTable<?>> ALL =
            List.of(
                    Tables.FLOW_SUMMARY,
                    Tables.REJECTS,
                    Tables.KMS_USAGE,
                    Tables.DEAD_LETTERS,
                    Tables.ALERTS);

    /** The tables a run of {@code spec} writes: {@link #ALL} but rejects when it is turned off. */
    public static List<ParquetTable<?>> written(JobSpec spec) {
        return spec.writesRejects() ? ALL : ALL.stream().filter(t -> t != Tables.REJECTS).toList();
    }

    public static void attach(Pipeline.Outputs out, String outDir, JobSpec spec) {
        sink(out.flowSummary, Tables.FLOW_SUMMARY, outDir, spec, r -> r.windowStart);
        if (out.rejects != null) {
            sink(out.rejects, Tables.REJECTS, outDir, spec, r -> r.windowStart);
        }
        sink(out.deadLetters, Tables.DEAD_LETTERS, outDir, spec, DeadLetter::partitionTimeMillis);
        sink(out.alerts, Tables.ALERTS, outDir, spec, a -> a.windowStart);
        if (out.kmsUsage != null) {
            sink(out.kmsUsage, Tables.KMS_USAGE, outDir, spec, r -> r.windowStart);
        }
    }

    /**
     * What a run that does not write the rejects table should tell its user when {@code outDir}
     * already holds one from an earlier run (a {@code stream} keeps what is in its output folder):
     * that table is left as it is and {@code report} would read it. Null when there is nothing to
     * say.
     */
    public static String staleRejectsNotice(Path outDir, JobSpec spec) {
        Path rejects = outDir.resolve(Tables.REJECTS.name());
        if (spec.writesRejects() || !Files.isDirectory(rejects)) {
            return null;
        }
        return "outputs.rejects is false, but "
                + rejects
                + " holds a rejects table from an earlier run: it is left as it is, and report"
                + " reads REJECTs from it rather than from flow_summary (move it away to change"
                + " that)";
    }

    static <T> void sink(
            DataStream<T> rows,
            ParquetTable<T> table,
            String outDir,
            JobSpec spec,
            ParquetTable.Int64<T> time) {
        rows.map(new RowCounter<T>(table.name()))
                .returns(rows.getType())
                .name("count " + table.name())
                .uid("count-" + table.name())
                .sinkTo(TableSinks.parquet(table, outDir, spec.compression(), time))
                .name(table.name())
                .uid("sink-" + table.name());
    }

    /**
     * A table that got no rows in this run still gets one zero-row Parquet file, in the partition
     * of the run's start hour, so that readers always find its schema (dashboards can be built
     * against {@code alerts} before the first alert). A table the job does not write ({@code
     * outputs.rejects: false}) gets no folder: readers see it is not there.
     */
    public static void ensureTablesExist(Path outDir, JobSpec spec) throws IOException {
        for (ParquetTable<?> table : written(spec)) {
            ensureExists(table, outDir, spec);
        }
    }

    static <T> void ensureExists(ParquetTable<T> table, Path outDir, JobSpec spec)
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
