package io.flowtrail.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.support.DuckDb;
import io.flowtrail.support.SampleLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same operators in Flink's BATCH and STREAMING modes, on the embedded MiniCluster, with the
 * configuration join, give the same tables and the same alerts (ids included) for input whose
 * disorder stays within the watermark bound (sample-logs/ delivers 3% of each slot's records one
 * file late, as S3 delivery does).
 */
class ReplayParityITCase {
    @TempDir static Path tmp;

    static ReplayJob.Result batch;
    static ReplayJob.Result streaming;

    static ReplayJob.Result replay(RuntimeExecutionMode mode, Path out) throws Exception {
        ReplayJob.Options o = new ReplayJob.Options();
        o.flowLogPaths = List.of(SampleLogs.DIR.resolve("flow-logs").toString());
        o.configPaths = List.of(SampleLogs.DIR.resolve("config").toString());
        o.cloudTrailPaths = List.of(SampleLogs.DIR.resolve("cloudtrail").toString());
        o.outDir = out.toString();
        o.spec = JobSpec.defaults();
        o.parallelism = 2;
        o.mode = mode;
        o.progress = false;
        return ReplayJob.run(o, new PrintWriter(new StringWriter()));
    }

    @BeforeAll
    static void replayBothWays() throws Exception {
        batch = replay(RuntimeExecutionMode.BATCH, tmp.resolve("batch"));
        streaming = replay(RuntimeExecutionMode.STREAMING, tmp.resolve("streaming"));
    }

    private static final String SUMMARY_COLUMNS =
            "window_start, window_end, account_id, vpc_id, subnet_id, interface_id, direction,"
                    + " action, protocol, flows, packets, bytes, distinct_src_addrs,"
                    + " distinct_dst_addrs, distinct_dst_ports, dt, hr";

    @Test
    void flowSummaryRowsAreIdenticalInBatchAndStreaming() throws Exception {
        assertSameRows("flow_summary", SUMMARY_COLUMNS, 101);
    }

    @Test
    void rejectsRowsAreIdenticalInBatchAndStreaming() throws Exception {
        assertSameRows("rejects", "*", 100);
    }

    @Test
    void alertsAreIdenticalIdsIncludedInBatchAndStreaming() throws Exception {
        assertSameRows("alerts", "*", 12);
    }

    @Test
    void kmsUsageRowsAreIdenticalInBatchAndStreaming() throws Exception {
        assertSameRows("kms_usage", "*", 50);
    }

    private static void assertSameRows(String table, String columns, int atLeast) throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> b = db.sortedRows(tmp.resolve("batch"), table, columns);
            List<List<Object>> s = db.sortedRows(tmp.resolve("streaming"), table, columns);
            assertThat(b).hasSizeGreaterThanOrEqualTo(atLeast);
            assertThat(s).isEqualTo(b);
        }
    }

    @Test
    void deadLettersAreIdenticalInBatchAndStreaming() throws Exception {
        String columns = "source, location, reason, raw";
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> b = db.sortedRows(tmp.resolve("batch"), "dead_letters", columns);
            List<List<Object>> s = db.sortedRows(tmp.resolve("streaming"), "dead_letters", columns);
            assertThat(b).hasSize(3);
            assertThat(s).isEqualTo(b);
        }
    }

    @Test
    void countsAreIdenticalAndCloseInBothModes() {
        assertThat(streaming.counters).isEqualTo(batch.counters);
        assertThat(batch.countsClose()).isTrue();
        assertThat(batch.count(RunCounters.LATE)).isZero();
    }
}
