package io.flowtrail.cli;

import io.flowtrail.job.Folders;
import io.flowtrail.job.JobSpec;
import io.flowtrail.job.ReplayJob;
import io.flowtrail.job.RunCounters;
import io.flowtrail.model.Alert;
import io.flowtrail.sink.AlertJson;
import io.flowtrail.sink.TableReader;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.RuntimeExecutionMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code replay}: the batch forensic replay of historical logs into Parquet tables. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replays historical flow logs (files or folders, read recursively; gzip, CloudWatch Logs"
                    + " subscription payloads and Parquet recognised by content) into Parquet"
                    + " tables under --out: flow_summary, dead_letters, alerts.",
            "Exit codes: 0 done, 2 bad usage or invalid input files, 1 failure while running."
        })
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            description = "A folder laid out like sample-logs/: its flow-logs/ subfolder is read.")
    File dir;

    @Option(
            names = "--flow-logs",
            paramLabel = "PATH",
            description =
                    "A flow-log file or folder (read recursively), local or a URI of a Flink file"
                            + " system such as s3://bucket/prefix/. Repeatable.")
    List<String> flowLogs = new ArrayList<>();

    @Option(
            names = "--config",
            paramLabel = "PATH",
            description =
                    "Network configuration: a folder of snapshot folders (named by their UTC"
                            + " instant) of describe-* JSON, or one snapshot folder. Repeatable."
                            + " Default: DIR/config when it holds any.")
    List<File> config = new ArrayList<>();

    @Option(
            names = "--cloudtrail",
            paramLabel = "PATH",
            description =
                    "CloudTrail files or folders (S3 log files, JSON lines, EventBridge envelopes,"
                            + " CloudWatch Logs payloads; gzip or not). Repeatable. Default:"
                            + " DIR/cloudtrail when it holds any.")
    List<File> cloudTrail = new ArrayList<>();

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output folder: one subfolder per table.")
    File out;

    @Option(
            names = "--job",
            paramLabel = "FILE",
            description =
                    "Job definition (YAML). Default: the built-in defaults of jobs/default.yaml.")
    File job;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Parallelism (overrides execution.parallelism of the job file).")
    Integer parallelism;

    @Option(
            names = "--flow-format",
            paramLabel = "FORMAT",
            description =
                    "Format of flow-log input without a header line, in ${field} or plain form"
                            + " (overrides flow-logs.format). Files with a header use their header.")
    String flowFormat;

    @Option(
            names = "--execution-mode",
            paramLabel = "MODE",
            description =
                    "batch (default) or streaming: the same operators in Flink's streaming mode,"
                            + " with watermarks and checkpoints; for checking parity.")
    String executionMode = "batch";

    @Option(
            names = "--overwrite",
            description = "Delete the tables already in --out before writing.")
    boolean overwrite;

    @Option(
            names = "--alerts-jsonl",
            paramLabel = "FILE",
            description = "Also write the alerts as JSON lines to FILE ('-' for stdout).")
    String alertsJsonl;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    @Spec CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        ReplayJob.Options o = new ReplayJob.Options();
        o.spec = job == null ? JobSpec.defaults() : JobSpec.load(job.toPath());
        if (flowFormat != null) {
            o.spec.withFlowFormat(flowFormat);
        }
        o.parallelism = parallelism != null ? parallelism : o.spec.parallelism();
        if (o.parallelism < 1) {
            throw new UserError("--parallelism: expected 1 or more, got " + o.parallelism);
        }
        o.mode = mode(executionMode);
        o.flowLogPaths = inputs();
        o.configPaths = configInputs();
        o.cloudTrailPaths = optionalInputs(cloudTrail, "cloudtrail", "CloudTrail");
        o.outDir = prepareOut();
        o.progress = !quiet;

        ReplayJob.Result r = ReplayJob.run(o, err);
        PrintWriter stdout = commandSpec.commandLine().getOut();
        stdout.printf("flowtrail replay: done in %.1f s%n", r.wallTime.toMillis() / 1000.0);
        stdout.printf("  records read        %,12d%n", r.read());
        stdout.printf("  summarised          %,12d%n", r.summarised());
        stdout.printf(
                "  NODATA / SKIPDATA   %,12d  (%,d / %,d)%n",
                r.noDataOrSkipData(), r.count(RunCounters.NODATA), r.count(RunCounters.SKIPDATA));
        stdout.printf(
                "  dead letters        %,12d  (%,d unparsed, %,d late)%n",
                r.deadLetters(), r.count(RunCounters.UNPARSED), r.count(RunCounters.LATE));
        stdout.printf("  counts close        %12s%n", r.countsClose() ? "yes" : "NO");
        if (!o.cloudTrailPaths.isEmpty()) {
            stdout.printf(
                    "  CloudTrail          %,12d  KMS events, %,d network changes, %,d dead letters, %,d late%n",
                    r.count(RunCounters.CLOUDTRAIL_KMS),
                    r.count(RunCounters.CLOUDTRAIL_NETWORK_CHANGES),
                    r.count(RunCounters.CLOUDTRAIL_DEAD),
                    r.count(RunCounters.KMS_LATE));
        }
        for (Map.Entry<String, Long> e : r.rowsPerTable.entrySet()) {
            stdout.printf(
                    "  rows %-15s%,12d  -> %s%n",
                    e.getKey(), e.getValue(), new File(out, e.getKey()));
            if (e.getKey().equals("flow_summary") && !r.rowsPerTable.containsKey("rejects")) {
                stdout.printf("  rows %-15s%12s  (outputs.rejects: false)%n", "rejects", "off");
            }
        }
        List<Alert> alerts = TableReader.alerts(Path.of(o.outDir));
        printAlertSummary(stdout, alerts);
        if (alertsJsonl != null) {
            writeJsonl(alerts, stdout);
        }
        stdout.flush();
        return r.countsClose() ? 0 : 1;
    }

    /** Alerts by category, then the ten most severe (then earliest). */
    static void printAlertSummary(PrintWriter out, List<Alert> alerts) {
        Map<String, Long> byCategory = new TreeMap<>();
        for (Alert a : alerts) {
            byCategory.merge(a.category, 1L, Long::sum);
        }
        out.printf("alerts: %d%n", alerts.size());
        byCategory.forEach((c, n) -> out.printf("  %-24s %6d%n", c, n));
        List<Alert> top = new ArrayList<>(alerts);
        top.sort(
                Comparator.comparingInt((Alert a) -> -severityRank(a.severity))
                        .thenComparingLong(a -> a.windowStart)
                        .thenComparing(a -> a.alertId));
        for (Alert a : top.subList(0, Math.min(10, top.size()))) {
            out.printf(
                    "  %-8s %s  %s%n",
                    a.severity,
                    java.time.Instant.ofEpochMilli(a.windowStart).toString().substring(0, 16) + "Z",
                    a.title);
        }
    }

    static int severityRank(String severity) {
        switch (severity == null ? "" : severity) {
            case "CRITICAL":
                return 4;
            case "HIGH":
                return 3;
            case "MEDIUM":
                return 2;
            case "LOW":
                return 1;
            default:
                return 0;
        }
    }

    private void writeJsonl(List<Alert> alerts, PrintWriter stdout) throws IOException {
        List<Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(
                Comparator.comparingLong((Alert a) -> a.windowStart).thenComparing(a -> a.alertId));
        if (alertsJsonl.equals("-")) {
            for (Alert a : sorted) {
                stdout.println(AlertJson.of(a));
            }
            return;
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(alertsJsonl)))) {
            for (Alert a : sorted) {
                w.println(AlertJson.of(a));
            }
        }
    }

    private static RuntimeExecutionMode mode(String value) {
        switch (value) {
            case "batch":
                return RuntimeExecutionMode.BATCH;
            case "streaming":
                return RuntimeExecutionMode.STREAMING;
            default:
                throw new UserError(
                        "--execution-mode: expected batch or streaming, got '" + value + "'");
        }
    }

    private List<String> inputs() {
        List<String> paths = new ArrayList<>();
        if (dir != null) {
            if (!dir.isDirectory()) {
                throw new UserError(dir + ": input folder not found");
            }
            File flows = new File(dir, "flow-logs");
            if (!flows.isDirectory()) {
                throw new UserError(
                        dir + ": has no flow-logs/ folder (expected the layout of sample-logs/)");
            }
            paths.add(flows.getAbsolutePath());
        }
        for (String p : flowLogs) {
            if (hasScheme(p)) {
                paths.add(p); // s3://..., hdfs://...: read through Flink's file systems
                continue;
            }
            File f = new File(p);
            if (!f.exists()) {
                throw new UserError(f + ": flow-log path not found");
            }
            paths.add(f.getAbsolutePath());
        }
        if (paths.isEmpty()) {
            throw new UserError(
                    "no input: give a DIR laid out like sample-logs/, or --flow-logs PATH");
        }
        return paths;
    }

    /** A URI with a scheme (s3://bucket/prefix): not a local path. */
    static boolean hasScheme(String path) {
        int i = path.indexOf("://");
        return i > 1 && path.substring(0, i).chars().allMatch(Character::isLetterOrDigit);
    }

    /** Paths given with an option, else DIR/{@code sub} when it holds any file. */
    private List<String> optionalInputs(List<File> given, String sub, String what) {
        List<String> paths = new ArrayList<>();
        for (File f : given) {
            if (!f.exists()) {
                throw new UserError(f + ": " + what + " path not found");
            }
            paths.add(f.getAbsolutePath());
        }
        if (paths.isEmpty() && dir != null) {
            File d = new File(dir, sub);
            String[] entries = d.list((x, name) -> !name.startsWith("."));
            if (entries != null && entries.length > 0) {
                paths.add(d.getAbsolutePath());
            }
        }
        return paths;
    }

    private List<String> configInputs() {
        List<String> paths = new ArrayList<>();
        for (File f : config) {
            if (!f.exists()) {
                throw new UserError(f + ": config path not found");
            }
            paths.add(f.getAbsolutePath());
        }
        if (paths.isEmpty() && dir != null) {
            File c = new File(dir, "config");
            String[] entries = c.list((d, name) -> !name.startsWith("."));
            if (entries != null && entries.length > 0) {
                paths.add(c.getAbsolutePath());
            }
        }
        return paths;
    }

    private String prepareOut() throws IOException {
        if (hasScheme(out.getPath()) || out.getPath().matches("^[A-Za-z][A-Za-z0-9]*:/.*")) {
            throw new UserError(
                    out
                            + ": --out must be a local or mounted folder (replay reads the alerts"
                            + " back for its summary); write to a shared file system on a cluster");
        }
        Path outPath = out.toPath().toAbsolutePath();
        if (Files.exists(outPath) && !Files.isDirectory(outPath)) {
            throw new UserError(out + ": --out is a file, expected a folder");
        }
        for (String table :
                List.of("flow_summary", "rejects", "kms_usage", "dead_letters", "alerts")) {
            Path t = outPath.resolve(table);
            if (Files.exists(t)) {
                if (!overwrite) {
                    throw new UserError(
                            t + ": already holds a table; choose another --out or add --overwrite");
                }
                Folders.delete(t);
            }
        }
        Files.createDirectories(outPath);
        return outPath.toString();
    }
}
