package io.flowtrail.source;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLogFormat;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.fs.Path;

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
     * Flow-log topics, read as {@link Topics#source} says: committed offsets, committed on
     * checkpoints; {@code bounded} stops at the offsets the topics had at start.
     */
    public static KafkaSource<FlowRecord> kafka(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            FlowLogFormat fallbackFormat,
            boolean bounded) {
        return Topics.source(
                bootstrapServers,
                topics,
                groupId,
                new FlowLogKafkaDeserializer(fallbackFormat),
                bounded);
    }

    static Path[] flinkPaths(List<String> paths) {
        return paths.stream().map(Path::new).toArray(Path[]::new);
    }
}
