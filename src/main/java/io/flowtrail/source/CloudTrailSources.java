package io.flowtrail.source;

import io.flowtrail.model.CloudTrailEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the streaming CloudTrail sources: topics and watched folders. They read with the same
 * parser as the replay's files ({@link CloudTrailFileFormat}, {@link
 * io.flowtrail.parse.CloudTrailMessages}); a replay's bounded files are {@link
 * FlowLogSources#cloudTrailFiles}.
 */
public final class CloudTrailSources {
    private CloudTrailSources() {}

    /**
     * CloudTrail topics, as the flow-log topics are read: from the group's committed offsets
     * (earliest for a new group), committed on checkpoints; {@code bounded} stops at the offsets
     * the topics had when the job started.
     */
    public static KafkaSource<CloudTrailEvent> kafka(
            String bootstrapServers, List<String> topics, String groupId, boolean bounded) {
        var builder =
                KafkaSource.<CloudTrailEvent>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topics)
                        .setGroupId(groupId)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(new CloudTrailKafkaDeserializer())
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * Folders watched for new CloudTrail files (S3 log files as a trail delivers them, gzip
     * included; digest files are skipped): each file is read once, when it is first seen; the set
     * of files seen is part of the checkpoint.
     */
    public static FileSource<CloudTrailEvent> watched(List<String> paths, Duration interval) {
        return FileSource.forBulkFileFormat(
                        new CloudTrailFileFormat(),
                        paths.stream().map(Path::new).toArray(Path[]::new))
                .setSplitAssigner(TimeOrderSplitAssigner::new)
                .monitorContinuously(interval)
                .build();
    }
}
