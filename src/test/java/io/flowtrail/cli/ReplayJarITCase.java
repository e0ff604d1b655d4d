package io.flowtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.support.SampleLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/flowtrail.jar replay}, as the README runs it: the replay runs in a child
 * JVM with the batch tuning (its flags printed by {@code -XX:+PrintCommandLineFlags}, which the
 * child inherits), prints the closing summary, and the exit codes carry through;
 * FLOWTRAIL_REPLAY_JVM_OPTIONS replaces the tuning; the child maps the class-data sharing archive
 * that {@code mvn package} wrote beside the jar.
 */
class ReplayJarITCase {
    static final Path JAR = Path.of("target", "flowtrail.jar").toAbsolutePath();

    @TempDir Path dir;

    record Run(int code, String output) {}

    static Run java(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return java(env, List.of("-Xmx1g"), args);
    }

    /** Runs the jar with {@code jvmOptions} (and -XX:+PrintCommandLineFlags) and {@code args}. */
    static Run java(Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-XX:+PrintCommandLineFlags");
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(ReplayJvm.OPTIONS_ENV);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void theSampleReplayRunsInATunedChildJvmAndPrintsItsSummary() throws Exception {
        // The first line is the launching JVM's flags, the second the child's: tuned, same heap.
        List<String> flags = sampleReplayFlags(Map.of());
        assertThat(flags.get(0)).doesNotContain("-XX:+UseParallelGC");
        assertThat(flags.get(1))
                .contains(
                        "-XX:+UseParallelGC",
                        "-XX:Tier4InvocationThreshold=50000",
                        "-XX:-UseTypeProfile",
                        "-XX:MaxHeapSize=1073741824");
    }

    @Test
    void aBadCommandLineExitsTwoThroughTheChild() throws Exception {
        Path missing = dir.resolve("missing");
        Run run = java(Map.of(), "replay", missing.toString(), "--out", dir.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.output()).contains("flowtrail: " + missing + ": input folder not found");
    }

    @Test
    void theEnvironmentReplacesTheTuningAndAnEmptyValueRunsInPlace() throws Exception {
        Path missing = dir.resolve("missing");
        Run serial =
                java(
                        Map.of(ReplayJvm.OPTIONS_ENV, "-XX:+UseSerialGC"),
                        "replay",
                        missing.toString(),
                        "--out",
                        dir.toString());
        assertThat(serial.code()).isEqualTo(2);
        assertThat(serial.output()).contains("-XX:+UseSerialGC").doesNotContain("UseParallelGC");

        Run inPlace =
                java(
                        Map.of(ReplayJvm.OPTIONS_ENV, ""),
                        "replay",
                        missing.toString(),
                        "--out",
                        dir.toString());
        assertThat(inPlace.code()).isEqualTo(2);
        assertThat(inPlace.output().lines().filter(l -> l.contains("-XX:MaxHeapSize"))).hasSize(1);
    }

    @Test
    void aFlightRecordingIsNotSplitAcrossTwoJvms() throws Exception {
        Path missing = dir.resolve("missing");
        Run run =
                java(
                        Map.of(),
                        List.of("-XX:StartFlightRecording=filename=" + dir.resolve("r.jfr")),
                        "replay",
                        missing.toString(),
                        "--out",
                        dir.toString());
        assertThat(run.code()).as(run.output()).isEqualTo(2);
        assertThat(run.output().lines().filter(l -> l.contains("-XX:MaxHeapSize")))
                .as("one JVM")
                .hasSize(1);
    }

    @Test
    void theChildMapsTheClassArchiveThatPackageWroteBesideTheJar() throws Exception {
        // A build with -Dflowtrail.class-archive.skip has no archive to check.
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Boolean.getBoolean("flowtrail.class-archive.skip"));
        Path archive = JAR.resolveSibling("flowtrail.jsa");
        assertThat(archive).as("written by mvn package (target/class-archive-run.log)").exists();
        // -Xshare:on makes a JVM that cannot map the archive (another jar, another JDK) fail.
        List<String> flags =
                sampleReplayFlags(Map.of(ReplayJvm.OPTIONS_ENV, "-XX:+UseParallelGC -Xshare:on"));
        assertThat(flags.get(1)).contains("-XX:SharedArchiveFile=" + archive);
    }

    /**
     * The embedded MiniCluster's temporary files (Flink's 24 MB RPC jar, its working folders, spill
     * files) go to a folder of the replay's own, deleted when it exits: nothing accumulates in the
     * system's temporary folder from one replay to the next.
     */
    @Test
    void aReplayLeavesNothingInTheTemporaryFolder() throws Exception {
        Path tmp = java.nio.file.Files.createDirectories(dir.resolve("tmp"));
        sampleReplay(Map.of(), List.of("-Xmx1g", "-Djava.io.tmpdir=" + tmp));
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).isEmpty();
        }
    }

    /**
     * Replays sample-logs/ from the jar with {@code env} and {@code jvmOptions}, and checks that it
     * succeeded and its counts closed.
     */
    private Run sampleReplay(Map<String, String> env, List<String> jvmOptions) throws Exception {
        Run run =
                java(
                        env,
                        jvmOptions,
                        "replay",
                        SampleLogs.DIR.toString(),
                        "--out",
                        dir.resolve("out").toString(),
                        "--quiet");
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.output()).contains("counts close                 yes");
        return run;
    }

    /**
     * Replays sample-logs/ from the jar with {@code env} ({@link #sampleReplay}) and returns the
     * flag lines of the two JVMs (launcher, then replay).
     */
    private List<String> sampleReplayFlags(Map<String, String> env) throws Exception {
        Run run = sampleReplay(env, List.of("-Xmx1g"));
        List<String> flags =
                run.output().lines().filter(l -> l.contains("-XX:MaxHeapSize")).toList();
        assertThat(flags).hasSize(2);
        return flags;
    }
}
