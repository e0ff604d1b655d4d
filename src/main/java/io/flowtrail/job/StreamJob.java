package io.flowtrail.job;

import io.flowtrail.config.ConfigMessage;
import io.flowtrail.config.ConfigTimeline;
import io.flowtrail.config.InstanceDirectory;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.sink.AlertKafkaSink;
import io.flowtrail.source.FlowLogSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job: Kafka topics and watched folders in, the same operators as the replay, Parquet
 * tables committed exactly once on checkpoints. Checkpoints are retained on cancellation, so a job
 * that dies is restarted from its latest checkpoint; {@code --from-savepoint} resumes a stopped
 * one.
 */
public final class StreamJob {
    /** Everything a streaming run needs, validated by the command line. */
    public static final class Options {
        public String bootstrapServers;
        public List<String> flowTopics = new ArrayList<>();
        public String groupId = "flowtrail";
        public List<String> watchedFlowPaths = new ArrayList<>();
        public Duration watchInterval = Duration.ofSeconds(10);
        public String outDir;
        public String checkpointDir;
        public String savepointDir;
        public String fromSavepoint;
        public JobSpec spec;
        public int parallelism;

        /** Stop at the offsets the topics had at start, and read each watched folder once. */
        public boolean bounded;

        /** Alerts also go to this topic (JSON keyed by alert_id), when set. */
        public String alertsTopic;

        /** Configuration snapshot folders read at start (a bounded broadcast source). */
        public List<String> configPaths = new ArrayList<>();
    }

    private StreamJob() {}

    /** A local path as a file: URI; a URI with a scheme (s3://...) as it is. */
    static String uri(String path) {
        return path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")
                ? path
                : Path.of(path).toAbsolutePath().toUri().toString();
    }

    /** Builds and submits the job; the caller waits on, stops or cancels the returned client. */
    public static JobClient start(Options o) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Path.of(o.checkpointDir).toUri().toString());
        conf.set(
                CheckpointingOptions.SAVEPOINT_DIRECTORY,
                Path.of(o.savepointDir).toUri().toString());
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, o.spec.checkpointsRetained());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                o.spec.restartAttempts());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, o.spec.restartDelay());
        // Flowtrail's own metrics (flowtrail_*) logged every minute; on a cluster, the cluster's
        // reporters (Prometheus, ...) see the same metrics.
        conf.setString(
                "metrics.reporter.flowtrail.factory.class",
                "org.apache.flink.metrics.slf4j.Slf4jReporterFactory");
        conf.setString("metrics.reporter.flowtrail.interval", "60 s");
        conf.setString("metrics.reporter.flowtrail.filter.includes", "*:flowtrail_*");
        if (o.fromSavepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, o.fromSavepoint);
        }
        StreamExecutionEnvironment env = ReplayJob.environment(conf, o.parallelism);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.enableCheckpointing(o.spec.checkpointInterval().toMillis());

        DataStream<FlowRecord> flows = null;
        if (!o.flowTopics.isEmpty()) {
            flows =
                    env.fromSource(
                                    FlowLogSources.kafka(
                                            o.bootstrapServers,
                                            o.flowTopics,
                                            o.groupId,
                                            o.spec.fallbackFormat(),
                                            o.bounded),
                                    Pipeline.flowWatermarks(o.spec),
                                    "flow-log topics")
                            .uid("flow-log-topics");
        }
        if (!o.watchedFlowPaths.isEmpty()) {
            DataStream<FlowRecord> watched =
                    env.fromSource(
                                    o.bounded
                                            ? FlowLogSources.files(
                                                    o.watchedFlowPaths, o.spec.fallbackFormat())
                                            : FlowLogSources.watched(
                                                    o.watchedFlowPaths,
                                                    o.spec.fallbackFormat(),
                                                    o.watchInterval),
                                    Pipeline.flowWatermarks(o.spec),
                                    "watched flow-log folders")
                            .uid("flow-log-watched")
                            // One reader: a reader that has read its last file would otherwise
                            // hold its watermark and stall the windows until the next file lands.
                            // Objects arrive a few per flow log every five minutes; use Kafka for
                            // high volumes.
                            .setParallelism(1);
            flows = flows == null ? watched : flows.union(watched);
        }
        if (flows == null) {
            throw new IllegalArgumentException("a streaming job needs a flow-log topic or folder");
        }
        ConfigTimeline timeline = ReplayJob.timeline(o.configPaths);
        DataStream<ConfigMessage> config = ReplayJob.configSource(env, timeline);
        Pipeline.Outputs out =
                Pipeline.build(
                        flows,
                        config,
                        true,
                        null,
                        timeline == null ? null : InstanceDirectory.of(timeline),
                        o.spec);
        TableOutputs.attach(out, o.outDir, o.spec);
        if (o.alertsTopic != null) {
            out.alerts
                    .sinkTo(AlertKafkaSink.to(o.bootstrapServers, o.alertsTopic))
                    .name("alerts topic")
                    .uid("sink-alerts-topic");
        }
        TableOutputs.ensureTablesExist(Path.of(o.outDir), o.spec);
        return env.executeAsync("flowtrail stream");
    }
}
