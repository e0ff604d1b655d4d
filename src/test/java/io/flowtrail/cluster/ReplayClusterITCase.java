package io.flowtrail.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowtrail.cli.Main;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.SampleLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar on a real multi-process Flink cluster: a standalone session cluster of a
 * JobManager and two TaskManagers with two slots each, each its own JVM with only a Flink
 * distribution's {@code lib/} on its classpath ({@link StandaloneCluster}). {@code flink run -c
 * io.flowtrail.cli.Main target/flowtrail-cluster.jar replay sample-logs --parallelism 4} writes the
 * same tables, alerts (ids included) and counts as {@code replay} on the embedded MiniCluster, and
 * its work is spread over both TaskManagers.
 *
 * <p>It also measures both runs (records/s, and per slot) and writes the figures to {@code
 * target/cluster-it/figures.txt}; the operations guide's sizing rule starts from them.
 */
class ReplayClusterITCase {
    static final Path CLUSTER_JAR = Path.of("target", "flowtrail-cluster.jar").toAbsolutePath();
    static final Path WORK = Path.of("target", "cluster-it").toAbsolutePath();
    static final int TASK_MANAGERS = 2;
    static final int SLOTS_PER_TASK_MANAGER = 2;
    static final int PARALLELISM = TASK_MANAGERS * SLOTS_PER_TASK_MANAGER;
    static final List<String> TABLES = List.of("flow_summary", "rejects", "dead_letters", "alerts");

    /**
     * {@code -Dflowtrail.cluster.copies=N} replays N copies of sample-logs' flow logs (with its
     * config) instead of one, to measure throughput on more than the sample's 23,582 records.
     */
    static final int COPIES = Integer.getInteger("flowtrail.cluster.copies", 1);

    static StandaloneCluster cluster;
    static Path input;
    static Path embeddedOut;
    static Path clusterOut;
    static String embeddedOutput;
    static Duration embeddedWall;
    static StandaloneCluster.CliRun clusterRun;
    static JsonNode clusterJob;

    @BeforeAll
    static void replayEmbeddedThenOnTheCluster() throws Exception {
        if (!Files.isRegularFile(CLUSTER_JAR)) {
            throw new IllegalStateException(
                    CLUSTER_JAR
                            + " not found: the cluster-jar execution of the shade plugin makes it"
                            + " in the package phase; run `mvn verify` (or `mvn package` before"
                            + " running this test on its own)");
        }
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        input = COPIES == 1 ? SampleLogs.DIR : copiesOfSampleLogs(COPIES);
        embeddedOut = WORK.resolve("out-embedded");
        clusterOut = WORK.resolve("out-cluster");

        // The embedded run first, alone on the machine, so its figure is not skewed by the
        // cluster's JVMs starting up.
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long started = System.nanoTime();
        int code =
                Main.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        replayArgs(embeddedOut).toArray(String[]::new));
        embeddedWall = Duration.ofNanos(System.nanoTime() - started);
        embeddedOutput = out.toString();
        assertThat(code).as("embedded replay: %s%s", out, err).isZero();

        cluster = new StandaloneCluster(WORK.resolve("flink"), SLOTS_PER_TASK_MANAGER, "1536m");
        cluster.startJobManager();
        for (int i = 1; i <= TASK_MANAGERS; i++) {
            cluster.startTaskManager("tm-" + i);
        }
        cluster.awaitTaskManagers(TASK_MANAGERS, Duration.ofMinutes(3));
        assertThat(cluster.totalSlots()).isEqualTo(PARALLELISM);

        clusterRun =
                cluster.run(
                        "io.flowtrail.cli.Main",
                        CLUSTER_JAR,
                        replayArgs(clusterOut),
                        Duration.ofMinutes(10));
        JsonNode jobs = cluster.get("/jobs/overview").path("jobs");
        clusterJob = jobs.size() == 1 ? jobs.get(0) : null;
        writeFigures();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static List<String> replayArgs(Path out) {
        return List.of(
                "replay",
                input.toString(),
                "--out",
                out.toString(),
                "--parallelism",
                String.valueOf(PARALLELISM),
                "--quiet");
    }

    /**
     * The cluster jar carries Flowtrail and what a Flink distribution lacks, and nothing the
     * distribution has: no class of its jars (a second copy of Flink or of log4j in the job jar
     * would be shadowed at best and clash at worst). This also catches a cluster jar shaded from
     * the wrong input, and a resource of the project that the jar left out.
     */
    @Test
    void theClusterJarHasFlowtrailAndWhatTheDistributionLacksAndNothingItHas() throws IOException {
        Set<String> jar = classesAndResources(CLUSTER_JAR);
        Path classes = Path.of("target", "classes");
        try (Stream<Path> walk = Files.walk(classes)) {
            List<String> own =
                    walk.filter(Files::isRegularFile)
                            .map(p -> classes.relativize(p).toString().replace('\\', '/'))
                            .filter(n -> !n.equals("log4j2.properties"))
                            .toList();
            assertThat(own).contains("io/flowtrail/cli/Main.class");
            assertThat(jar).containsAll(own);
        }
        assertThat(jar)
                .contains(
                        "org/apache/flink/connector/kafka/source/KafkaSource.class",
                        "org/apache/kafka/clients/consumer/KafkaConsumer.class",
                        "org/apache/flink/formats/parquet/ParquetWriterFactory.class",
                        "org/apache/parquet/hadoop/ParquetWriter.class",
                        "org/apache/hadoop/conf/Configuration.class",
                        "com/fasterxml/jackson/databind/ObjectMapper.class",
                        "picocli/CommandLine.class");
        Set<String> distribution = new HashSet<>();
        for (Path p : StandaloneCluster.distributionJars()) {
            distribution.addAll(classesAndResources(p));
        }
        Set<String> both = new TreeSet<>(jar);
        both.retainAll(distribution);
        both.removeIf(n -> !n.endsWith(".class"));
        assertThat(both).as("classes of the Flink distribution in the cluster jar").isEmpty();
        assertThat(jar).doesNotContain("log4j2.properties");
    }

    static Set<String> classesAndResources(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Set<String> names = new HashSet<>();
            z.stream()
                    .filter(e -> !e.isDirectory() && !e.getName().startsWith("META-INF/"))
                    .forEach(e -> names.add(e.getName()));
            return names;
        }
    }

    @Test
    void flinkRunExitsZeroAndPrintsTheClosingSummaryInAttachedMode() {
        assertThat(clusterRun.exitCode())
                .as("flink run output:\n%s%s", clusterRun.output(), cluster.logTail())
                .isZero();
        assertThat(clusterRun.output())
                .contains("Job has been submitted with JobID")
                .contains("flowtrail replay: done in")
                .containsPattern("counts close +yes")
                .containsPattern("alerts: [1-9]");
    }

    @Test
    void theCountsAndAlertSummaryEqualTheEmbeddedRun() {
        assertThat(summary(clusterRun.output(), clusterOut))
                .isEqualTo(summary(embeddedOutput, embeddedOut))
                .anyMatch(l -> l.startsWith("  records read"));
    }

    @Test
    void theJobRanOnTheClusterAtParallelismFourAcrossBothTaskManagers() throws Exception {
        assertThat(clusterJob).as("one job on the cluster").isNotNull();
        assertThat(clusterJob.path("name").asText()).isEqualTo("flowtrail replay");
        assertThat(clusterJob.path("state").asText()).isEqualTo("FINISHED");
        String jobId = clusterJob.path("jid").asText();
        Set<String> taskManagers = new HashSet<>();
        int maxParallelism = 0;
        for (JsonNode vertex : cluster.get("/jobs/" + jobId).path("vertices")) {
            maxParallelism = Math.max(maxParallelism, vertex.path("parallelism").asInt());
            JsonNode tms =
                    cluster.get(
                                    "/jobs/"
                                            + jobId
                                            + "/vertices/"
                                            + vertex.path("id").asText()
                                            + "/taskmanagers")
                            .path("taskmanagers");
            for (JsonNode tm : tms) {
                taskManagers.add(tm.path("taskmanager-id").asText());
            }
        }
        assertThat(maxParallelism).isEqualTo(PARALLELISM);
        assertThat(taskManagers).containsExactlyInAnyOrder("tm-1", "tm-2");
    }

    @Test
    void bothRunsWroteTheSameTables() throws IOException {
        assertThat(tableNames(clusterOut)).isEqualTo(tableNames(embeddedOut)).containsAll(TABLES);
    }

    @Test
    void flowSummaryEqualsTheEmbeddedRun() throws Exception {
        assertSameRows("flow_summary", "*", 100);
    }

    @Test
    void rejectsEqualTheEmbeddedRun() throws Exception {
        assertSameRows("rejects", "*", 100);
    }

    @Test
    void alertsEqualTheEmbeddedRunIdsIncluded() throws Exception {
        assertSameRows("alerts", "*", 7);
    }

    /**
     * Dead letters without a time of their own are partitioned by when they were read, and carry
     * that in {@code seen_at}: everything else is equal.
     */
    @Test
    void deadLettersEqualTheEmbeddedRunButForWhenTheyWereSeen() throws Exception {
        assertSameRows("dead_letters", "source, location, reason, raw", 3);
    }

    private static void assertSameRows(String table, String columns, int atLeast) throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> embedded = db.sortedRows(embeddedOut, table, columns);
            List<List<Object>> onCluster = db.sortedRows(clusterOut, table, columns);
            assertThat(embedded).hasSizeGreaterThanOrEqualTo(atLeast);
            assertThat(onCluster).isEqualTo(embedded);
        }
    }

    /**
     * The closing summary a replay prints, without its wall time, with the output folder replaced
     * by {@code OUT} (and without Flink's submission line).
     */
    static List<String> summary(String output, Path out) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : output.split("\n")) {
            if (line.startsWith("flowtrail replay: done in")) {
                in = true;
                continue;
            }
            if (in && !line.isBlank()) {
                lines.add(line.replace(out.toString(), "OUT"));
            }
        }
        return lines;
    }

    static Set<String> tableNames(Path out) throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            Set<String> names = new HashSet<>();
            dirs.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
            return names;
        }
    }

    /**
     * Records read per second of the cluster job (its duration as the JobManager measured it, from
     * scheduling to the last commit) and of the embedded run (wall time of {@code Main.run}, which
     * includes starting the MiniCluster), in total and per slot (parallelism 4 in both).
     */
    static void writeFigures() throws IOException {
        long records = recordsRead(embeddedOutput);
        double clusterJobSeconds =
                clusterJob == null ? Double.NaN : clusterJob.path("duration").asLong() / 1000.0;
        double clientSeconds = clusterRun.wallTime().toMillis() / 1000.0;
        double embeddedSeconds = embeddedWall.toMillis() / 1000.0;
        String figures =
                String.format(
                        Locale.ROOT,
                        "records read: %d (%d x sample-logs)%n"
                                + "embedded (java -jar, MiniCluster, parallelism %d): %.1f s wall,"
                                + " %.0f records/s, %.0f records/s per slot%n"
                                + "cluster (1 JobManager, %d TaskManagers x %d slots, parallelism"
                                + " %d): job %.1f s, %.0f records/s, %.0f records/s per slot;"
                                + " flink run wall time %.1f s (client JVM, upload, job)%n",
                        records,
                        COPIES,
                        PARALLELISM,
                        embeddedSeconds,
                        records / embeddedSeconds,
                        records / embeddedSeconds / PARALLELISM,
                        TASK_MANAGERS,
                        SLOTS_PER_TASK_MANAGER,
                        PARALLELISM,
                        clusterJobSeconds,
                        records / clusterJobSeconds,
                        records / clusterJobSeconds / PARALLELISM,
                        clientSeconds);
        System.out.print(figures);
        Files.writeString(WORK.resolve("figures.txt"), figures);
    }

    /** A folder laid out like sample-logs/: its config, and its flow logs n times. */
    static Path copiesOfSampleLogs(int n) throws IOException {
        Path dir = WORK.resolve("input");
        copyTree(SampleLogs.DIR.resolve("config"), dir.resolve("config"));
        for (int i = 1; i <= n; i++) {
            copyTree(
                    SampleLogs.DIR.resolve("flow-logs"),
                    dir.resolve("flow-logs").resolve(String.format("copy-%03d", i)));
        }
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
    }

    static long recordsRead(String output) {
        Matcher m = Pattern.compile("records read +([0-9,]+)").matcher(output);
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
