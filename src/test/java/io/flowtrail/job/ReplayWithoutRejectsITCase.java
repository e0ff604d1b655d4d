package io.flowtrail.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.cli.Main;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.SampleLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outputs.rejects: false}: the replay of sample-logs writes no {@code rejects} table, and
 * every other table and alert is what the default job writes.
 */
class ReplayWithoutRejectsITCase {
    @TempDir static Path tmp;

    static int exitCode;
    static String stdout;

    static String replay(Path out, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "replay",
                                SampleLogs.DIR.toString(),
                                "--out",
                                out.toString(),
                                "--quiet"));
        args.addAll(List.of(more));
        StringWriter o = new StringWriter();
        exitCode =
                Main.run(
                        new PrintWriter(o, true),
                        new PrintWriter(new StringWriter(), true),
                        args.toArray(String[]::new));
        return o.toString();
    }

    @BeforeAll
    static void replayBothWays() throws Exception {
        replay(tmp.resolve("default"));
        assertThat(exitCode).isZero();
        Path job = tmp.resolve("no-rejects.yaml");
        Files.writeString(job, "outputs:\n  rejects: false\n");
        stdout = replay(tmp.resolve("no-rejects"), "--job", job.toString());
    }

    @Test
    void theRejectsTableIsNotWrittenAndTheSummarySaysSo() {
        assertThat(exitCode).isZero();
        assertThat(tmp.resolve("default/rejects")).isDirectory();
        assertThat(tmp.resolve("no-rejects/rejects")).doesNotExist();
        assertThat(stdout)
                .contains("counts close                 yes")
                .contains(
                        String.format(
                                "  rows %-15s%12s  (outputs.rejects: false)", "rejects", "off"))
                .doesNotContain("-> " + tmp.resolve("no-rejects/rejects"));
    }

    @Test
    void flowSummaryAlertsKmsUsageAndDeadLettersAreTheDefaultJobs() throws Exception {
        try (DuckDb db = new DuckDb()) {
            for (String table : List.of("flow_summary", "alerts", "kms_usage", "dead_letters")) {
                String columns =
                        table.equals("dead_letters") ? "source, location, reason, raw" : "*";
                List<List<Object>> withRejects =
                        db.sortedRows(tmp.resolve("default"), table, columns);
                List<List<Object>> without =
                        db.sortedRows(tmp.resolve("no-rejects"), table, columns);
                assertThat(withRejects).as(table).isNotEmpty();
                assertThat(without).as(table).isEqualTo(withRejects);
            }
        }
    }
}
