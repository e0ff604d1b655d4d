package io.flowtrail.source;

import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** How Flowtrail reads its flow-log and CloudTrail topics. */
final class Topics {
    private Topics() {}

    /**
     * Starts from the group's committed offsets (earliest for a new group); offsets are committed
     * on checkpoints; only committed transactions are read. {@code bounded} stops at the offsets
     * the topics had when the job started (to drain a backlog, and in tests).
     */
    static <T> KafkaSource<T> source(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            KafkaRecordDeserializationSchema<T> deserializer,
            boolean bounded) {
        var builder =
                KafkaSource.<T>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topics)
                        .setGroupId(groupId)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                        .setDeserializer(deserializer)
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }
}
