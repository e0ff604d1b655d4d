package io.flowtrail.cli;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM a batch replay runs in. {@code java -jar flowtrail.jar replay ...} starts the replay in a
 * child JVM with {@link #DEFAULT_OPTIONS} added to the options it was given (heap size and the like
 * carry over): a replay is a few minutes of throughput, and on a small machine the C2 compiler's
 * work on Flink's code and G1's barriers cost more than they give back (bench/README.md has the
 * measurements). {@value #OPTIONS_ENV} replaces the options; set to an empty string, the replay
 * runs in the JVM that was started. Options the user already set (a collector, the compilation
 * tier) are never overridden. Inside Flink and in tests nothing is relaunched.
 */
final class ReplayJvm {
    static final String OPTIONS_ENV = "FLOWTRAIL_REPLAY_JVM_OPTIONS";
    static final String DEFAULT_OPTIONS = "-XX:+UseParallelGC";
    static final String MARKER = "flowtrail.replay.jvm";

    private ReplayJvm() {}

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
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(given);
        for (String option : tuning) {
            if (!overridden(option, given)) {
                cmd.add(option);
            }
        }
        cmd.add("-D" + MARKER + "=child");
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(cmd).inheritIO().start();
            // Ctrl-C reaches the child too (same process group); wait for its summary.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> waitFor(child)));
            return child.waitFor();
        } catch (Exception e) {
            return -1; // run the replay here rather than not at all
        }
    }

    private static void waitFor(Process child) {
        try {
            child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            String first = command.split(" ", 2)[0];
            return new File(first).getAbsoluteFile().toPath().normalize().equals(self.normalize())
                    ? self
                    : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
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
