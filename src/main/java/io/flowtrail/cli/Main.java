package io.flowtrail.cli;

import io.flowtrail.job.JobSpec;
import io.flowtrail.job.ReplayJob;
import io.flowtrail.parse.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar flowtrail.jar COMMAND ...}. Exit codes: 0 success, 2 bad usage or invalid input
 * files (one line naming the file and what was expected), 1 a failure while running.
 */
@Command(
        name = "flowtrail",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "VPC Flow Logs and CloudTrail KMS analytics on Apache Flink.",
        subcommands = {
            ReplayCommand.class,
            StreamCommand.class,
            ExplainCommand.class,
            ReportCommand.class,
            GenerateCommand.class
        })
public final class Main implements Runnable {
    public static void main(String[] args) {
        int relaunched = ReplayJvm.relaunch(args);
        if (relaunched >= 0) {
            System.exit(relaunched);
        }
        int code = run(args);
        if (code == 0 && ReplayJob.insideFlink()) {
            // Inside Flink (flink run, application mode): Flink ends the JVM when the job is done;
            // exiting here would kill a JobManager before it records the application finished.
            return;
        }
        System.exit(code);
    }

    /** Runs a command line and returns its exit code. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given output and error writers (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    PrintWriter w = commandLine.getErr();
                    if (e instanceof UserError
                            || e instanceof JobSpec.InvalidJobFile
                            || e instanceof ConfigException) {
                        w.println("flowtrail: " + e.getMessage());
                        w.flush();
                        return 2;
                    }
                    w.println("flowtrail: failed: " + rootMessage(e));
                    e.printStackTrace(w);
                    w.flush();
                    return 1;
                });
        return cli.execute(args);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"flowtrail " + (v == null ? "(development build)" : v)};
        }
    }
}
