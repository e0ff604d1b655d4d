package io.flowtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream command line's contract for its inputs: exit 2 and one line, before any job runs. */
class StreamCommandTest {
    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private String outDir() {
        return dir.resolve("out").toString();
    }

    @Test
    void aCloudTrailTopicNeedsBootstrapServers() {
        int code =
                run(
                        "stream",
                        "--watch",
                        dir.toString(),
                        "--cloudtrail-topic",
                        "cloudtrail",
                        "--out",
                        outDir());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("flowtrail: --cloudtrail-topic needs --bootstrap-servers\n");
    }

    @Test
    void aConfigTopicNeedsBootstrapServers() {
        int code =
                run(
                        "stream",
                        "--watch",
                        dir.toString(),
                        "--config-topic",
                        "network-config",
                        "--out",
                        outDir());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("flowtrail: --config-topic needs --bootstrap-servers\n");
    }

    @Test
    void cloudTrailAloneIsNotEnough() {
        int code =
                run(
                        "stream",
                        "--bootstrap-servers",
                        "localhost:9092",
                        "--cloudtrail-topic",
                        "cloudtrail",
                        "--out",
                        outDir());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "flowtrail: no flow-log input: give --flow-topic TOPIC or --watch DIR"
                                + " (CloudTrail and configuration come with the flow logs, not"
                                + " instead of them)\n");
    }

    @Test
    void aTopicHoldsOneKindOfInput() {
        int code =
                run(
                        "stream",
                        "--bootstrap-servers",
                        "localhost:9092",
                        "--flow-topic",
                        "logs",
                        "--cloudtrail-topic",
                        "logs",
                        "--out",
                        outDir());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo(
                        "flowtrail: topic logs is given to both --flow-topic and"
                                + " --cloudtrail-topic: a topic holds one kind of input\n");
    }

    @Test
    void aMissingWatchedCloudTrailFolderExitsTwoNamingIt() {
        Path missing = dir.resolve("no-such-trail");
        int code =
                run(
                        "stream",
                        "--watch",
                        dir.toString(),
                        "--watch-cloudtrail",
                        missing.toString(),
                        "--out",
                        outDir());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("flowtrail: " + missing + ": watched CloudTrail folder not found\n");
    }

    @Test
    void helpNamesTheNewInputs() {
        assertThat(run("stream", "--help")).isZero();
        assertThat(out.toString())
                .contains("--cloudtrail-topic=TOPIC")
                .contains("--config-topic=TOPIC")
                .contains("--watch-cloudtrail=DIR")
                .contains("EventBridge envelope")
                .contains("captured_at");
    }
}
