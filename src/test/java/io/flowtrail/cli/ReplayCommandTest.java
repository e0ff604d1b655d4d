package io.flowtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command line's contract: exit codes and one-line messages, before any job runs. */
class ReplayCommandTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aMissingInputFolderExitsTwoNamingIt() {
        Path missing = dir.resolve("no-such-logs");
        int code = run("replay", missing.toString(), "--out", dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("flowtrail: " + missing + ": input folder not found\n");
    }

    @Test
    void aMissingFlowLogPathExitsTwoNamingIt() {
        Path missing = dir.resolve("flows.log.gz");
        int code =
                run(
                        "replay",
                        "--flow-logs",
                        missing.toString(),
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("flowtrail: " + missing + ": flow-log path not found\n");
    }

    @Test
    void aFolderWithoutFlowLogsExitsTwo() throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        int code =
                run(
                        "replay",
                        dir.resolve("logs").toString(),
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("has no flow-logs/ folder");
    }

    @Test
    void anInvalidJobFileExitsTwoNamingTheFileAndKey() throws IOException {
        Files.createDirectories(dir.resolve("logs/flow-logs"));
        Path job = dir.resolve("bad.yaml");
        Files.writeString(job, "flow-logs:\n  max-out-of-order: 15m\n");
        int code =
                run(
                        "replay",
                        dir.resolve("logs").toString(),
                        "--job",
                        job.toString(),
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("flowtrail: " + job + ": unknown key 'flow-logs.max-out-of-order'")
                .doesNotContain("Exception")
                .endsWith(")\n");
    }

    @Test
    void aBadFlowFormatExitsTwo() throws IOException {
        Files.createDirectories(dir.resolve("logs/flow-logs"));
        int code =
                run(
                        "replay",
                        dir.resolve("logs").toString(),
                        "--flow-format",
                        "${version} ${nonsense}",
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "flowtrail: --flow-format: key 'flow-logs.format': unknown flow-log fields"
                                + " [nonsense]\n");
    }

    @Test
    void anExistingTableInOutIsNotOverwrittenSilently() throws IOException {
        Files.createDirectories(dir.resolve("logs/flow-logs"));
        Files.createDirectories(dir.resolve("out/flow_summary"));
        int code =
                run(
                        "replay",
                        dir.resolve("logs").toString(),
                        "--out",
                        dir.resolve("out").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("already holds a table").contains("--overwrite");
    }

    @Test
    void missingOutIsAUsageError() {
        int code = run("replay", dir.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--out=DIR'");
    }

    @Test
    void helpDescribesEveryOption() {
        int code = run("replay", "--help");
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains(
                        "--flow-logs",
                        "--out",
                        "--job",
                        "--parallelism",
                        "--flow-format",
                        "--execution-mode",
                        "--overwrite",
                        "--quiet");
    }
}
