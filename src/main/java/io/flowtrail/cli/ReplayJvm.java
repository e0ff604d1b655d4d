package io.flowtrail.cli;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM a batch replay runs in. {@code java -jar flowtrail.jar replay ...} starts the replay in a
 * child JVM with {@link #DEFAULT_OPTIONS} added to the options it was given (heap size and the like
 * carry over): a replay is minutes of pure throughput, where the parallel collector, without
 * concurrent marking or G1's write barriers, costs less (README, Performance). The C2 compiler
 * takes a method five to ten times later than by default (JDK 17's Tier4 thresholds are 5000, 600,
 * 15000 and 40000): each stage of a replay runs Flink's generic network, serializer and operator
 * code with its own types, and recompiling it for each (class checks and untaken branches that stop
 * holding) cost a third of a replay's CPU time on 2 cores; the hot loops still reach C2 within the
 * first percent of a 10M-record replay. C2 also ignores the receiver types the interpreter and C1
 * profiled ({@code -XX:-UseTypeProfile}): the profile of a Flink method is the first stage's types,
 * C2 inlined them behind a class check, and the next stage's types failed that check and sent the
 * method back to be compiled again; half of the full replay's C2 time was such second and later
 * compilations (calls that class hierarchy analysis proves monomorphic are still inlined). {@value
 * #OPTIONS_ENV} replaces the options; set to an empty string, the replay runs in the JVM that was
 * started. Options the user already set (a collector, say) are never overridden. Nothing is
 * relaunched inside Flink, in tests, or when the JVM was started with something a second JVM must
 * not repeat (a debugger or profiling agent, a flight recording, JMX on a port, a log file).
 *
 * <p>When the jar has a class-data sharing archive beside it ({@code flowtrail.jsa}, written by
 * {@code mvn package}), the child maps the classes a replay loads from it instead of loading,
 * parsing and verifying them again: start-up is about 2 s shorter. The JVM checks that the archive
 * belongs to this jar and this JDK and silently runs without it otherwise; {@code -Xshare:off} or
 * an archive option of the user's own turns it off.
 */
final class ReplayJvm {
    static final String OPTIONS_ENV = "FLOWTRAIL_REPLAY_JVM_OPTIONS";
    static final String DEFAULT_OPTIONS =
            "-XX:+UseParallelGC"
                    + " -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=5000"
                    + " -XX:Tier4CompileThreshold=100000 -XX:Tier4BackEdgeThreshold=200000"
                    + " -XX:-UseTypeProfile";
    static final String MARKER = "flowtrail.replay.jvm";

    private ReplayJvm() {}

    /** Prints {@link #DEFAULT_OPTIONS}, for scripts that start a replay JVM themselves (bench/). */
    public static void main(String[] args) {
        System.out.println(DEFAULT_OPTIONS);
    }

    /**
     * Runs the command line in a tuned child JVM when it is a replay started from the jar, and
     * returns its exit code; returns -1 when this JVM should run the command itself.
     */
    static int relaunch(String[] args) {
        if (args.length == 0 || !args[0].equals("replay") || System.getProperty(MARKER) != null) {
            return -1;
        }
        String env = System.getenv(OPTIONS_ENV);
        List<String> tuning = split(env == null ? DEFAULT_OPTIONS : env);
        Path jar = launchedJar();
        if (tuning.isEmpty() || jar == null) {
            return -1;
        }
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (given.stream().anyMatch(ReplayJvm::notRepeatable)) {
            return -1;
        }
        // The child inherits the environment: options from JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS
        // reach it from there, not a second time on its command line.
        List<String> fromEnvironment = new ArrayList<>();
        for (String var : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            String value = System.getenv(var);
            if (value != null) {
                fromEnvironment.addAll(split(value));
            }
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : given) {
            if (!fromEnvironment.contains(option)) {
                cmd.add(option);
            }
        }
        for (String option : tuning) {
            if (!overridden(option, given)) {
                cmd.add(option);
            }
        }
        List<String> chosen = new ArrayList<>(given);
        chosen.addAll(tuning);
        cmd.addAll(classArchive(jar, chosen));
        cmd.add("-D" + MARKER + "=child");
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(cmd).inheritIO().start();
        } catch (Exception e) {
            return -1; // no child: run the replay here rather than not at all
        }
        // Ctrl-C reaches the child too (same process group); a SIGTERM for this JVM alone (kill,
        // a service manager) is passed on. Either way the child's summary is waited for.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    child.destroy();
                                    waitFor(child);
                                }));
        return waitFor(child);
    }

    /** The child's exit code; an interrupt does not stop the waiting (the child runs on). */
    private static int waitFor(Process child) {
        boolean interrupted = false;
        while (true) {
            try {
                int code = child.waitFor();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return code;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /**
     * The options that map the jar's class-data sharing archive ({@code flowtrail.jsa} beside
     * {@code flowtrail.jar}), or none: no archive, a path the option cannot carry (one with the
     * path separator, which the JVM reads as a list of archives), or class sharing options of the
     * user's own ({@code -Xshare:off}, an archive), given to {@code java} or in {@value
     * #OPTIONS_ENV}; {@code -Xshare:on} keeps it, and makes a JVM that cannot map it fail. The
     * JVM's own messages about the archive (one that belongs to another build of the jar, say) are
     * turned off, since without it the replay only starts slower, unless the user asked for them
     * with an {@code -Xlog} of {@code cds} or {@code all}.
     *
     * @param chosen the options given to {@code java} and the tuning options
     */
    static List<String> classArchive(Path jar, List<String> chosen) {
        String name = jar.getFileName().toString();
        Path archive = jar.resolveSibling(name.substring(0, name.length() - 4) + ".jsa");
        boolean own =
                chosen.stream()
                        .anyMatch(
                                o ->
                                        o.equals("-Xshare:off")
                                                || o.equals("-Xshare:dump")
                                                || o.startsWith("-XX:SharedArchiveFile")
                                                || o.startsWith("-XX:ArchiveClassesAtExit"));
        if (own
                || archive.toString().contains(File.pathSeparator)
                || !Files.isRegularFile(archive)) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        options.add("-XX:SharedArchiveFile=" + archive);
        boolean logged =
                chosen.stream()
                        .anyMatch(
                                o ->
                                        o.startsWith("-Xlog")
                                                && (o.contains("cds") || o.contains("all")));
        if (!logged) {
            options.add("-Xlog:cds=off");
            options.add("-Xlog:cds+dynamic=off");
        }
        return options;
    }

    /** An option that a second JVM started with it would fail on, or would clash with this one. */
    static boolean notRepeatable(String option) {
        return option.startsWith("-agentlib:")
                || option.startsWith("-agentpath:")
                || option.startsWith("-javaagent:")
                || option.startsWith("-Xrunjdwp")
                || option.startsWith("-XX:StartFlightRecording")
                || option.startsWith("-XX:FlightRecorderOptions")
                || option.startsWith("-XX:ArchiveClassesAtExit")
                || (option.startsWith("-Xlog") && option.contains("file="))
                || option.startsWith("-Xloggc:")
                || option.startsWith("-Dcom.sun.management.jmxremote.port")
                || option.startsWith("-Dcom.sun.management.jmxremote.rmi.port");
    }

    /** The jar this JVM was started with ({@code java -jar}), or null. */
    static Path launchedJar() {
        String command = System.getProperty("sun.java.command", "");
        try {
            Path self =
                    Path.of(
                            ReplayJvm.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (!self.toString().endsWith(".jar")) {
                return null;
            }
            return startedWith(command, self) ? self : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether a JVM's {@code sun.java.command} (the jar as typed, then the arguments, joined by
     * spaces) starts with {@code jar}. The jar's path may itself hold spaces, so every prefix that
     * ends before a space is tried.
     */
    static boolean startedWith(String command, Path jar) {
        Path target = jar.toAbsolutePath().normalize();
        for (int end = command.indexOf(' '); ; end = command.indexOf(' ', end + 1)) {
            String typed = end < 0 ? command : command.substring(0, end);
            if (typed.endsWith(".jar")
                    && new File(typed).getAbsoluteFile().toPath().normalize().equals(target)) {
                return true;
            }
            if (end < 0) {
                return false;
            }
        }
    }

    /** Whether the user already chose what {@code option} sets (the same flag, or a collector). */
    static boolean overridden(String option, List<String> given) {
        String name = flagName(option);
        boolean collector = name.startsWith("Use") && name.endsWith("GC");
        for (String g : given) {
            String other = flagName(g);
            if (other.equals(name)
                    || (collector && other.startsWith("Use") && other.endsWith("GC"))) {
                return true;
            }
        }
        return false;
    }

    /** {@code -XX:+UseParallelGC} and {@code -XX:-UseParallelGC} name {@code UseParallelGC}. */
    static String flagName(String option) {
        String s = option;
        if (s.startsWith("-XX:")) {
            s = s.substring(4);
            if (s.startsWith("+") || s.startsWith("-")) {
                s = s.substring(1);
            }
        }
        int eq = s.indexOf('=');
        return eq < 0 ? s : s.substring(0, eq);
    }

    static List<String> split(String options) {
        List<String> out = new ArrayList<>();
        for (String s : options.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
