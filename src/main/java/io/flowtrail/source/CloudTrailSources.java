package io.flowtrail.source;

import io.flowtrail.model.CloudTrailEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;

/**
 * Builds the CloudTrail sources: a replay's files, and the stream's topics and watched folders, all
 * read with the same parser ({@link CloudTrailFileFormat}, {@link
 * io.flowtrail.parse.CloudTrailMessages}).
 */
public final class CloudTrailSources {
    private CloudTrailSources() {}

    /** CloudTrail files under the given files and folders, read once, in name-time order. */
    public static FileSource<CloudTrailEvent> files(List<String> paths) {
        return FileSource.forBulkFileFormat(
                        new CloudTrailFileFormat(), FlowLogSources.flinkPaths(paths))
                .setSplitAssigner(TimeOrderSplitAssigner::new)
                .build();
    }

    /**
     * CloudTrail topics, read as the flow-log topics are ({@link Topics#source}): committed
     * offsets, committed on checkpoints; {@code bounded} stops at the offsets the topics had at
     * start.
     */
    public static KafkaSource<CloudTrailEvent> kafka(
            String bootstrapServers, List<String> topics, String groupId, boolean bounded) {
        return Topics.source(
                bootstrapServers, topics, groupId, new CloudTrailKafkaDeserializer(), bounded);
    }

    /**
     * Folders watched for new CloudTrail files (S3 log files as a trail delivers them, gzip
     * included; digest files are skipped): each file is read once, when it is first seen; the set
     * of files seen is part of the checkpoint.
     */
    public static FileSource<CloudTrailEvent> watched(List<String> paths, Duration interval) {
        return FileSource.forBulkFileFormat(
                        new CloudTrailFileFormat(), FlowLogSources.flinkPaths(paths))
                .setSplitAssigner(TimeOrderSplitAssigner::new)
                .monitorContinuously(interval)
                .build();
    }
}
