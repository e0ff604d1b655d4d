package io.flowtrail.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster as separate JVM processes, started the way Flink's scripts
 * start them but from the Maven jars on the test classpath (no distribution tarball, no Docker): a
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code
 * TaskManagerRunner}, with the JVM memory flags and dynamic properties that {@code BashJavaUtils}
 * derives from the configuration, as {@code taskmanager.sh} does). Jobs are submitted with Flink's
 * CLI ({@code CliFrontend run}) in a child JVM, as {@code bin/flink run} does.
 *
 * <p>The processes get only what a Flink distribution's {@code lib/} holds ({@link #DISTRIBUTION}),
 * never the project's classes or its other dependencies: a job jar that leans on something the
 * distribution does not ship fails here as it would on a real cluster.
 *
 * <p>{@link #close()} ends every process and its descendants (TERM, then KILL after ten seconds); a
 * shutdown hook does the same if the test JVM exits first.
 */
final class StandaloneCluster implements AutoCloseable {
    /**
     * The artifacts of a Flink 2.3 distribution's {@code lib/}: flink-dist (the runtime, the
     * DataStream API, the client, and the third-party libraries they depend on), {@code
     * flink-connector-files} (which carries {@code flink-connector-base}), and the log4j binding.
     */
    static final Set<String> DISTRIBUTION =
            Set.of(
                    // flink-dist
                    "flink-annotations",
                    "flink-core",
                    "flink-core-api",
                    "flink-metrics-core",
                    "flink-runtime",
                    "flink-rpc-core",
                    "flink-rpc-akka-loader",
                    "flink-streaming-java",
                    "flink-datastream",
                    "flink-datastream-api",
                    "flink-clients",
                    "flink-file-sink-common",
                    "flink-hadoop-fs",
                    "flink-queryable-state-client-java",
                    "flink-connector-datagen",
                    "flink-shaded-asm-9",
                    "flink-shaded-guava",
                    "flink-shaded-jackson",
                    "flink-shaded-netty",
                    "flink-shaded-zookeeper-3",
                    "kryo",
                    "reflectasm",
                    "minlog",
                    "objenesis",
                    "snakeyaml-engine",
                    "commons-lang3",
                    "commons-text",
                    "commons-compress",
                    "commons-math3",
                    "commons-collections",
                    "commons-io",
                    "commons-cli",
                    "RoaringBitmap",
                    "javassist",
                    "snappy-java",
                    "lz4-java",
                    "async-profiler",
                    "jsr305",
                    // lib/flink-connector-files-*.jar
                    "flink-connector-files",
                    // lib/log4j-*.jar
                    "slf4j-api",
                    "log4j-api",
                    "log4j-core",
                    "log4j-slf4j-impl");

    /**
     * What {@code env.java.default-opts.all} of a Flink 2.x distribution passes to every Flink JVM
     * (JobManager, TaskManager and the CLI) on Java 17.
     */
    static final List<String> JAVA_OPTS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private final Path home;
    private final Path conf;
    private final Path logs;
    private final String classpath;
    private final int restPort;
    private final int slotsPerTaskManager;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::destroyAll, "standalone-cluster-cleanup");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    /**
     * Writes {@code conf/config.yaml} and {@code conf/log4j*.properties} under {@code home}; starts
     * nothing yet.
     */
    StandaloneCluster(Path home, int slotsPerTaskManager, String taskManagerProcessSize)
            throws IOException {
        this.home = home;
        this.conf = Files.createDirectories(home.resolve("conf"));
        this.logs = Files.createDirectories(home.resolve("log"));
        this.classpath =
                distributionJars().stream()
                        .map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator));
        this.slotsPerTaskManager = slotsPerTaskManager;
        this.restPort = freePort();
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: localhost",
                        "jobmanager.rpc.port: " + freePort(),
                        "jobmanager.bind-host: localhost",
                        "jobmanager.memory.process.size: 1024m",
                        "taskmanager.host: localhost",
                        "taskmanager.bind-host: localhost",
                        "taskmanager.numberOfTaskSlots: " + slotsPerTaskManager,
                        "taskmanager.memory.process.size: " + taskManagerProcessSize,
                        // A BATCH job's blocking (sort-merge) shuffle takes at least 512 network
                        // buffers (16 MiB) per output of a task, and the configuration join has
                        // five: the 64 MiB minimum a small TaskManager gets is not enough.
                        "taskmanager.memory.network.min: 256m",
                        "taskmanager.memory.network.max: 256m",
                        "taskmanager.memory.managed.fraction: 0.25",
                        "rest.address: localhost",
                        "rest.bind-address: localhost",
                        "rest.port: " + restPort,
                        "parallelism.default: 1",
                        "io.tmp.dirs: " + tmp,
                        ""));
        writeLog4j("log4j.properties", "INFO");
        writeLog4j("log4j-cli.properties", "WARN");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The REST endpoint, as {@code http://localhost:PORT}. */
    String restUrl() {
        return "http://localhost:" + restPort;
    }

    Path home() {
        return home;
    }

    void startJobManager() throws Exception {
        List<String> params = resourceParams("GET_JM_RESOURCE_PARAMS", "jobmanager");
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(split(params.get(0)));
        cmd.addAll(flinkJvmArgs("jobmanager", "log4j.properties"));
        cmd.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        cmd.add("--configDir");
        cmd.add(conf.toString());
        cmd.addAll(split(params.get(1)));
        start(cmd, "jobmanager", Map.of());
    }

    /** Starts a TaskManager whose resource id is {@code name}. */
    void startTaskManager(String name) throws Exception {
        List<String> params = resourceParams("GET_TM_RESOURCE_PARAMS", name);
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.addAll(split(params.get(0)));
        cmd.addAll(flinkJvmArgs(name, "log4j.properties"));
        cmd.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        cmd.add("--configDir");
        cmd.add(conf.toString());
        cmd.addAll(split(params.get(1)));
        cmd.add("-D");
        cmd.add("taskmanager.resource-id=" + name);
        start(cmd, name, Map.of());
    }

    /** Waits until {@code count} TaskManagers have registered with the ResourceManager. */
    void awaitTaskManagers(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            checkAlive();
            try {
                JsonNode tms = get("/taskmanagers").path("taskmanagers");
                if (tms.size() >= count) {
                    return;
                }
                last = tms.size() + " registered";
            } catch (IOException e) {
                last = e.toString(); // the REST endpoint is not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                "TaskManagers did not register within "
                        + timeout
                        + " ("
                        + last
                        + ")\n"
                        + logTail());
    }

    /** Total slots the cluster offers, from {@code /overview}. */
    int totalSlots() throws IOException, InterruptedException {
        return get("/overview").path("slots-total").asInt();
    }

    /**
     * Runs {@code flink run -c MAIN JAR ARGS...} (attached) in a child JVM and waits for it; {@code
     * name.out} in the log folder gets its stdout and stderr.
     */
    CliRun run(String mainClass, Path jar, List<String> args, Duration timeout) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.add("-Xmx512m");
        cmd.addAll(flinkJvmArgs("flink-client", "log4j-cli.properties"));
        cmd.add("org.apache.flink.client.cli.CliFrontend");
        cmd.add("run");
        cmd.add("-c");
        cmd.add(mainClass);
        cmd.add(jar.toString());
        cmd.addAll(args);
        long started = System.nanoTime();
        Process client = start(cmd, "flink-client", Map.of("FLINK_CONF_DIR", conf.toString()));
        boolean finished = client.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        String output = Files.readString(logs.resolve("flink-client.out"));
        if (!finished) {
            destroy(client);
            throw new IllegalStateException(
                    "flink run did not finish within " + timeout + "\n" + output + logTail());
        }
        return new CliRun(client.exitValue(), output, wall);
    }

    /** The outcome of a {@code flink run}. */
    record CliRun(int exitCode, String output, Duration wallTime) {}

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body());
    }

    /** The last lines of every process's output and log, for failure messages. */
    String logTail() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                b.append("---- ").append(f).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e).append(")\n");
        }
        return b.toString();
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    private void checkAlive() {
        synchronized (processes) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(
                            "a cluster process (pid "
                                    + p.pid()
                                    + ") exited with "
                                    + p.exitValue()
                                    + "\n"
                                    + logTail());
                }
            }
        }
    }

    /**
     * {@code BashJavaUtils} prints, after its own log lines, two result lines: the JVM memory
     * flags, and the dynamic properties ({@code -D key=value ...}) that pin the derived memory
     * sizes.
     */
    private List<String> resourceParams(String command, String name) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(JAVA);
        cmd.add("-Xmx128m");
        cmd.addAll(flinkJvmArgs(name + "-resources", "log4j-cli.properties"));
        cmd.add("org.apache.flink.runtime.util.bash.BashJavaUtils");
        cmd.add(command);
        cmd.add("--configDir");
        cmd.add(conf.toString());
        Process p =
                new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + out);
        }
        List<String> results =
                out.lines()
                        .filter(l -> l.startsWith(RESULT_PREFIX))
                        .map(l -> l.substring(RESULT_PREFIX.length()))
                        .toList();
        if (results.size() != 2) {
            throw new IllegalStateException(
                    "BashJavaUtils " + command + ": expected 2 result lines, got:\n" + out);
        }
        return results;
    }

    private List<String> flinkJvmArgs(String name, String log4jFile) {
        List<String> args = new ArrayList<>(JAVA_OPTS);
        args.add("-Djava.io.tmpdir=" + home.resolve("tmp"));
        args.add("-Dlog.file=" + logs.resolve(name + ".log"));
        args.add("-Dlog4j.configurationFile=" + conf.resolve(log4jFile).toUri());
        args.add("-cp");
        args.add(classpath);
        return args;
    }

    private Process start(List<String> cmd, String name, Map<String, String> env)
            throws IOException {
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(logs.resolve(name + ".out").toFile());
        pb.environment().putAll(env);
        synchronized (processes) {
            Process p = pb.start();
            processes.add(p);
            return p;
        }
    }

    private void destroyAll() {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
            processes.clear();
        }
        all.forEach(StandaloneCluster::terminate);
        all.forEach(StandaloneCluster::destroy);
    }

    /** Asks a process and its descendants to stop (SIGTERM), without waiting. */
    private static void terminate(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
    }

    /** Waits up to ten seconds for a process to stop, then kills it and its descendants. */
    private static void destroy(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private void writeLog4j(String file, String level) throws IOException {
        Files.writeString(
                conf.resolve(file),
                String.join(
                        "\n",
                        "rootLogger.level = " + level,
                        "rootLogger.appenderRef.file.ref = MainAppender",
                        "appender.main.name = MainAppender",
                        "appender.main.type = File",
                        "appender.main.append = true",
                        "appender.main.fileName = ${sys:log.file}",
                        "appender.main.layout.type = PatternLayout",
                        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                        ""));
    }

    private static List<String> split(String line) {
        return line.isBlank() ? List.of() : List.of(line.trim().split("\\s+"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * The {@link #DISTRIBUTION} jars of the test classpath. Surefire and failsafe may hand the test
     * JVM a manifest-only jar; its {@code Class-Path} is the real classpath then.
     */
    static List<Path> distributionJars() {
        List<Path> entries = testClasspath();
        Set<String> found = new LinkedHashSet<>();
        List<Path> jars = new ArrayList<>();
        for (Path p : entries) {
            String artifact = artifactId(p);
            if (artifact != null && DISTRIBUTION.contains(artifact)) {
                found.add(artifact);
                jars.add(p);
            }
        }
        Set<String> missing = new LinkedHashSet<>(DISTRIBUTION);
        missing.removeAll(found);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "not on the test classpath: " + missing + " (classpath: " + entries + ")");
        }
        return jars;
    }

    /**
     * The artifactId of a jar in a Maven repository ({@code .../ARTIFACT/VERSION/
     * ARTIFACT-VERSION.jar}); null for anything else, including classifier jars ({@code -tests}).
     */
    static String artifactId(Path jar) {
        Path version = jar.getParent();
        Path artifact = version == null ? null : version.getParent();
        if (artifact == null || artifact.getFileName() == null) {
            return null;
        }
        String a = artifact.getFileName().toString();
        String v = version.getFileName().toString();
        return jar.getFileName().toString().equals(a + "-" + v + ".jar") ? a : null;
    }

    private static List<Path> testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName().toString().startsWith("surefirebooter")) {
                out.addAll(manifestClasspath(p));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> manifestClasspath(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            String cp = j.getManifest().getMainAttributes().getValue("Class-Path");
            return Stream.of(cp.split(" "))
                    .filter(s -> !s.isBlank())
                    .map(s -> Path.of(jar.toAbsolutePath().getParent().toUri().resolve(s)))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
