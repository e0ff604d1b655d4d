package io.flowtrail.cli;

import io.flowtrail.job.JobSpec;
import io.flowtrail.job.StreamJob;
import io.flowtrail.job.TableOutputs;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stream}: streaming tables from Kafka topics and watched folders (flow logs, CloudTrail,
 * network configuration).
 */
@Command(
        name = "stream",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Reads flow logs from Kafka topics (--flow-topic) and/or folders watched for new files"
                    + " (--watch, as an S3 prefix receives them), CloudTrail the same way"
                    + " (--cloudtrail-topic, --watch-cloudtrail) and network configuration from"
                    + " snapshot folders (--config) and topics (--config-topic), and keeps the"
                    + " Parquet tables under --out up to date, committed exactly once on"
                    + " checkpoints.",
            "Ctrl-C (or SIGTERM) stops the job with a savepoint and prints its path; --from-savepoint"
                    + " resumes from it."
        })
public final class StreamCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers.")
    String bootstrapServers;

    @Option(
            names = "--flow-topic",
            paramLabel = "TOPIC",
            description =
                    "Topic of flow-log messages: one record per message, several lines, or"
                            + " CloudWatch Logs subscription payloads. Repeatable.")
    List<String> flowTopics = new ArrayList<>();

    @Option(
            names = "--cloudtrail-topic",
            paramLabel = "TOPIC",
            description =
                    "Topic of CloudTrail messages: one event, an EventBridge envelope, or a whole"
                            + " S3 log file {\"Records\":[...]} per message, gzip or not."
                            + " Repeatable.")
    List<String> cloudTrailTopics = new ArrayList<>();

    @Option(
            names = "--config-topic",
            paramLabel = "TOPIC",
            description =
                    "Topic of configuration snapshots: {\"captured_at\": TIME, \"documents\":"
                            + " [describe-* outputs]} or one describe-* output per message, in force"
                            + " from its captured_at (else the message's timestamp). Read from its"
                            + " beginning; flows wait for what it held at start. Repeatable.")
    List<String> configTopics = new ArrayList<>();

    @Option(
            names = "--group-id",
            paramLabel = "ID",
            description = "Kafka consumer group (default: flowtrail).")
    String groupId = "flowtrail";

    @Option(
            names = "--watch",
            paramLabel = "DIR",
            description = "A folder watched for new flow-log files (.gz included). Repeatable.")
    List<File> watch = new ArrayList<>();

    @Option(
            names = "--watch-cloudtrail",
            paramLabel = "DIR",
            description =
                    "A folder watched for new CloudTrail files (.gz included; digest files"
                            + " skipped). Repeatable.")
    List<File> watchCloudTrail = new ArrayList<>();

    @Option(
            names = "--watch-interval",
            paramLabel = "DURATION",
            description = "How often watched folders are listed (default: 10s).")
    String watchInterval = "10s";

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    File out;

    @Option(
            names = "--alerts-topic",
            paramLabel = "TOPIC",
            description =
                    "Also send alerts to this Kafka topic, as JSON keyed by alert_id (at-least-once:"
                            + " de-duplicate by key).")
    String alertsTopic;

    @Option(
            names = "--config",
            paramLabel = "PATH",
            description =
                    "Network configuration snapshot folders, read at start (with --config-topic:"
                            + " the topic's snapshots are laid over them). Repeatable.")
    List<File> config = new ArrayList<>();

    @Option(names = "--job", paramLabel = "FILE", description = "Job definition (YAML).")
    File job;

    @Option(names = "--parallelism", paramLabel = "N", description = "Parallelism.")
    Integer parallelism;

    @Option(
            names = "--flow-format",
            paramLabel = "FORMAT",
            description = "Format of headerless flow-log messages (overrides flow-logs.format).")
    String flowFormat;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description =
                    "Checkpoint storage (default: OUT/_checkpoints). Use shared storage on a cluster.")
    String checkpointDir;

    @Option(
            names = "--savepoint-dir",
            paramLabel = "DIR",
            description = "Where the stop savepoint goes (default: OUT/_savepoints).")
    String savepointDir;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Resume from a savepoint or retained checkpoint.")
    String fromSavepoint;

    @Option(
            names = "--bounded",
            description =
                    "Stop when every topic (flow logs, CloudTrail, configuration) is read up to the"
                            + " offsets it had at start, and read watched folders once (to drain a"
                            + " backlog).")
    boolean bounded;

    @Spec CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        StreamJob.Options o = new StreamJob.Options();
        o.spec = job == null ? JobSpec.defaults() : JobSpec.load(job.toPath());
        if (flowFormat != null) {
            o.spec.withFlowFormat(flowFormat);
        }
        o.parallelism = parallelism != null ? parallelism : o.spec.parallelism();
        if (o.parallelism < 1) {
            throw new UserError("--parallelism: expected 1 or more, got " + o.parallelism);
        }
        if (!flowTopics.isEmpty() && bootstrapServers == null) {
            throw new UserError("--flow-topic needs --bootstrap-servers");
        }
        if (!cloudTrailTopics.isEmpty() && bootstrapServers == null) {
            throw new UserError("--cloudtrail-topic needs --bootstrap-servers");
        }
        if (!configTopics.isEmpty() && bootstrapServers == null) {
            throw new UserError("--config-topic needs --bootstrap-servers");
        }
        if (flowTopics.isEmpty() && watch.isEmpty()) {
            throw new UserError(
                    "no flow-log input: give --flow-topic TOPIC or --watch DIR (CloudTrail and"
                            + " configuration come with the flow logs, not instead of them)");
        }
        onlyOnce(flowTopics, "--flow-topic", cloudTrailTopics, "--cloudtrail-topic");
        onlyOnce(flowTopics, "--flow-topic", configTopics, "--config-topic");
        onlyOnce(cloudTrailTopics, "--cloudtrail-topic", configTopics, "--config-topic");
        for (File dir : watch) {
            if (!dir.isDirectory()) {
                throw new UserError(dir + ": watched folder not found");
            }
            o.watchedFlowPaths.add(dir.getAbsolutePath());
        }
        for (File dir : watchCloudTrail) {
            if (!dir.isDirectory()) {
                throw new UserError(dir + ": watched CloudTrail folder not found");
            }
            o.watchedCloudTrailPaths.add(dir.getAbsolutePath());
        }
        try {
            o.watchInterval = JobSpec.parseDuration(watchInterval);
        } catch (RuntimeException e) {
            throw new UserError(
                    "--watch-interval: expected a duration such as 10s, got '"
                            + watchInterval
                            + "'");
        }
        o.bootstrapServers = bootstrapServers;
        o.flowTopics = flowTopics;
        o.cloudTrailTopics = cloudTrailTopics;
        o.configTopics = configTopics;
        o.groupId = groupId;
        o.bounded = bounded;
        o.fromSavepoint = fromSavepoint;
        if (alertsTopic != null && bootstrapServers == null) {
            throw new UserError("--alerts-topic needs --bootstrap-servers");
        }
        o.alertsTopic = alertsTopic;
        for (File f : config) {
            if (!f.exists()) {
                throw new UserError(f + ": config path not found");
            }
            o.configPaths.add(f.getAbsolutePath());
        }
        File outDir = out.getAbsoluteFile();
        Files.createDirectories(outDir.toPath());
        o.outDir = outDir.getPath();
        o.checkpointDir =
                checkpointDir != null
                        ? checkpointDir
                        : new File(outDir, "_checkpoints").getAbsolutePath();
        o.savepointDir =
                savepointDir != null
                        ? savepointDir
                        : new File(outDir, "_savepoints").getAbsolutePath();

        String stale = TableOutputs.staleRejectsNotice(outDir.toPath(), o.spec);
        if (stale != null) {
            err.println("flowtrail stream: warning: " + stale);
        }
        JobClient client = StreamJob.start(o);
        err.println(
                "flowtrail stream: job "
                        + client.getJobID()
                        + " running; Ctrl-C stops it with a savepoint");
        err.flush();
        CountDownLatch finished = new CountDownLatch(1);
        Thread stopper =
                new Thread(
                        () -> {
                            if (finished.getCount() == 0) {
                                return;
                            }
                            try {
                                String path =
                                        client.stopWithSavepoint(
                                                        false,
                                                        o.savepointDir,
                                                        SavepointFormatType.CANONICAL)
                                                .get(2, TimeUnit.MINUTES);
                                err.println("flowtrail stream: stopped; savepoint " + path);
                                err.println(
                                        "flowtrail stream: resume with --from-savepoint " + path);
                                err.flush();
                            } catch (Exception e) {
                                err.println(
                                        "flowtrail stream: could not take a savepoint: "
                                                + e.getMessage());
                                err.flush();
                            }
                        },
                        "flowtrail-stop-with-savepoint");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            client.getJobExecutionResult().get();
        } finally {
            finished.countDown();
        }
        err.println("flowtrail stream: finished (bounded input read to its end)");
        err.flush();
        return 0;
    }

    /** A topic is read as one kind of input: the same topic under two options is a mistake. */
    private static void onlyOnce(List<String> a, String aOption, List<String> b, String bOption) {
        for (String topic : a) {
            if (b.contains(topic)) {
                throw new UserError(
                        "topic "
                                + topic
                                + " is given to both "
                                + aOption
                                + " and "
                                + bOption
                                + ": a topic holds one kind of input");
            }
        }
    }
}
