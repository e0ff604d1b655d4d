package io.flowtrail.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} on the command line: its output, plain text, and bad usage as exit code 2. */
class GenerateCommandTest {
    @TempDir Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void writesPlainTextObjectsAndPrintsTheCounts() throws Exception {
        int code =
                run(
                        "generate",
                        "--out",
                        dir.toString(),
                        "--records",
                        "5000",
                        "--hours",
                        "2",
                        "--interfaces",
                        "40",
                        "--format",
                        "v5",
                        "--plain",
                        "--incidents",
                        "none");

        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("flow records                 5,000")
                .contains("incidents                        0");
        try (Stream<Path> files = Files.walk(dir.resolve("flow-logs"))) {
            assertThat(files.filter(Files::isRegularFile))
                    .isNotEmpty()
                    .allMatch(p -> p.toString().endsWith(".log"))
                    .allMatch(p -> p.toString().contains("/v5/"));
        }
        assertThat(Labels.read(dir.resolve(Labels.FILE)).labels).isEmpty();
    }

    @Test
    void refusesToMixWithAnEarlierSetUnlessOverwriting() {
        String[] args = {
            "generate",
            "--out",
            dir.toString(),
            "--records",
            "2000",
            "--hours",
            "2",
            "--interfaces",
            "40",
            "--incidents",
            "none"
        };
        assertThat(run(args)).isZero();
        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString()).contains("already exists").contains("--overwrite");
    }

    @Test
    void badValuesAreUsageErrorsThatNameTheOption() {
        assertThat(run("generate", "--out", dir.toString(), "--format", "v6")).isEqualTo(2);
        assertThat(run("generate", "--out", dir.toString(), "--start", "2026-11-02T00:01:00Z"))
                .isEqualTo(2);
        assertThat(run("generate", "--out", dir.toString(), "--incidents", "portscan"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--format: expected default, v5 or both, got 'v6'")
                .contains("--start: expected a time on a five-minute boundary")
                .contains("--incidents: 'portscan': unknown incident");
    }
}
