package io.flowtrail.job;

import io.flowtrail.config.ConfigMessage;
import io.flowtrail.config.ConfigSnapshot;
import io.flowtrail.config.ConfigTimeline;
import io.flowtrail.config.InstanceDirectory;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.sink.AlertKafkaSink;
import io.flowtrail.source.CloudTrailSources;
import io.flowtrail.source.ConfigTopics;
import io.flowtrail.source.FlowLogSources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job: Kafka topics and watched folders in, the same operators as the replay, Parquet
 * tables committed exactly once on checkpoints. Checkpoints are retained on cancellation, so a job
 * that dies is restarted from its latest checkpoint; {@code --from-savepoint} resumes a stopped
 * one.
 *
 * <p>Inputs: flow logs and CloudTrail from topics and watched folders; network configuration from
 * {@code --config} folders and configuration topics. The configuration known at start (the folders,
 * and the topics read up to the offsets they have when the job is built, see {@link ConfigTopics})
 * is one bounded broadcast source that ends with the end-of-snapshots marker, exactly as in a
 * replay: flows wait for it, so a {@code --bounded} run gives the replay's verdicts. What the
 * topics receive later joins the timeline as it arrives.
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

        /** Configuration topics: read up to their ends at start, then on (unless bounded). */
        public List<String> configTopics = new ArrayList<>();

        /** CloudTrail topics: events, EventBridge envelopes or whole log files per message. */
        public List<String> cloudTrailTopics = new ArrayList<>();

        /** Folders watched for new CloudTrail files. */
        public List<String> watchedCloudTrailPaths = new ArrayList<>();
    }

    /** How long building the job may take to read the configuration topics' backlog. */
    static final Duration CONFIG_BACKLOG_TIMEOUT = Duration.ofMinutes(2);

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
        DataStream<CloudTrailEvent> cloudTrail = cloudTrail(env, o);

        ConfigTimeline timeline = ReplayJob.timeline(o.configPaths);
        DataStream<ConfigMessage> config;
        DataStream<DeadLetter> configDeadLetters = null;
        InstanceDirectory directory = null;
        if (o.configTopics.isEmpty()) {
            config = ReplayJob.configSource(env, timeline);
            directory = timeline == null ? null : InstanceDirectory.of(timeline);
        } else {
            ConfigTopics.Backlog backlog =
                    ConfigTopics.backlog(
                            o.bootstrapServers, o.configTopics, CONFIG_BACKLOG_TIMEOUT);
            List<ConfigSnapshot> known = new ArrayList<>();
            if (timeline != null) {
                known.addAll(timeline.versions());
            }
            List<ConfigMessage> atStart = new ArrayList<>();
            for (ConfigSnapshot version : known) {
                atStart.add(ConfigMessage.of(version));
            }
            for (ConfigMessage m : backlog.messages) {
                atStart.add(m);
                if (m.deadLetter == null) {
                    known.add(ConfigSnapshot.fromBytes(m.snapshot));
                }
            }
            atStart.add(ConfigMessage.end());
            DataStream<ConfigMessage> messages =
                    env.fromData(atStart, TypeInformation.of(ConfigMessage.class))
                            .name("config snapshots")
                            .uid("config-snapshots");
            if (!o.bounded) {
                messages =
                        messages.union(
                                env.fromSource(
                                                ConfigTopics.after(
                                                        o.bootstrapServers,
                                                        o.configTopics,
                                                        o.groupId,
                                                        backlog.endOffsets),
                                                configWatermarks(),
                                                "config topics")
                                        .uid("config-topics")
                                        .setParallelism(1));
            }
            SingleOutputStreamOperator<ConfigMessage> routed =
                    messages.process(new ConfigMessageRouter())
                            .name("route config messages")
                            .uid("config-router")
                            .setParallelism(1);
            config = routed;
            configDeadLetters = routed.getSideOutput(ConfigMessageRouter.DEAD_LETTERS);
            // The correlations' instances and groups: from the configuration known at start.
            directory = InstanceDirectory.of(ConfigTimeline.of(known));
        }
        Pipeline.Outputs out = Pipeline.build(flows, config, true, cloudTrail, directory, o.spec);
        if (configDeadLetters != null) {
            out =
                    new Pipeline.Outputs(
                            out.flowSummary,
                            out.rejects,
                            out.deadLetters.union(configDeadLetters),
                            out.alerts,
                            out.kmsUsage);
        }
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

    /** CloudTrail topics and watched folders, with event time; null for none. */
    static DataStream<CloudTrailEvent> cloudTrail(StreamExecutionEnvironment env, Options o) {
        DataStream<CloudTrailEvent> events = null;
        if (!o.cloudTrailTopics.isEmpty()) {
            events =
                    env.fromSource(
                                    CloudTrailSources.kafka(
                                            o.bootstrapServers,
                                            o.cloudTrailTopics,
                                            o.groupId,
                                            o.bounded),
                                    Pipeline.cloudTrailWatermarks(o.spec),
                                    "CloudTrail topics")
                            .uid("cloudtrail-topics");
        }
        if (!o.watchedCloudTrailPaths.isEmpty()) {
            DataStream<CloudTrailEvent> watched =
                    env.fromSource(
                                    o.bounded
                                            ? CloudTrailSources.files(o.watchedCloudTrailPaths)
                                            : CloudTrailSources.watched(
                                                    o.watchedCloudTrailPaths, o.watchInterval),
                                    Pipeline.cloudTrailWatermarks(o.spec),
                                    "watched CloudTrail folders")
                            .uid("cloudtrail-watched")
                            // One reader, as for watched flow-log folders.
                            .setParallelism(1);
            events = events == null ? watched : events.union(watched);
        }
        return events;
    }

    /**
     * Configuration versions carry their own time and never move event time ({@link
     * io.flowtrail.config.ConfigJoinOperator} ignores it). A source without watermarks would hold
     * back every operator downstream of it that also sees event time (the posture findings join the
     * alerts, which the correlations key by time); so the topics' source declares the end of time
     * from the start, as a configuration folder does once it has been read.
     */
    static WatermarkStrategy<ConfigMessage> configWatermarks() {
        return WatermarkStrategy.forGenerator(ctx -> new EndOfTime());
    }

    /** Always at the end of time. */
    static final class EndOfTime implements WatermarkGenerator<ConfigMessage> {
        @Override
        public void onEvent(ConfigMessage m, long timestamp, WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE));
        }
    }
}
