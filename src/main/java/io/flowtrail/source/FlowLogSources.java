package io.flowtrail.source;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLogFormat;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the flow-log sources. */
public final class FlowLogSources {
    private FlowLogSources() {}

    /**
     * Every file under the given files and folders (recursively), read once, in name-time order.
     */
    public static FileSource<FlowRecord> files(List<String> paths, FlowLogFormat fallbackFormat) {
        return FileSource.forBulkFileFormat(
                        new FlowLogFileFormat(fallbackFormat), flinkPaths(paths))
                .setSplitAssigner(TimeOrderSplitAssigner::new)
                .build();
    }

    /**
     * Folders watched for new files, as an S3 prefix receives them: each file is read once, when it
     * is first seen; the set of files seen is part of the checkpoint.
     */
    public static FileSource<FlowRecord> watched(
            List<String> paths, FlowLogFormat fallbackFormat, Duration interval) {
        return FileSource.forBulkFileFormat(
                        new FlowLogFileFormat(fallbackFormat), flinkPaths(paths))
                .setSplitAssigner(TimeOrderSplitAssigner::new)
                .monitorContinuously(interval)
                .build();
    }

    /**
     * Flow-log topics. Starts from the group's committed offsets (earliest for a new group);
     * offsets are committed on checkpoints. {@code bounded} stops at the offsets the topics had
     * when the job started (to drain a backlog, and in tests).
     */
    public static KafkaSource<FlowRecord> kafka(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            FlowLogFormat fallbackFormat,
            boolean bounded) {
        var builder =
                KafkaSource.<FlowRecord>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topics)
                        .setGroupId(groupId)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new FlowLogKafkaDeserializer(fallbackFormat))
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** CloudTrail files under the given files and folders, read once, in name-time order. */
    public static FileSource<io.flowtrail.model.CloudTrailEvent> cloudTrailFiles(
            List<String> paths) {
        return FileSource.forBulkFileFormat(new CloudTrailFileFormat(), flinkPaths(paths))
                .setSplitAssigner(TimeOrderSplitAssigner::new)
                .build();
    }

    private static Path[] flinkPaths(List<String> paths) {
        return paths.stream().map(Path::new).toArray(Path[]::new);
    }
}
