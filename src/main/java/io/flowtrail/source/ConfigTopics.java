package io.flowtrail.source;

import io.flowtrail.config.ConfigMessage;
import io.flowtrail.parse.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Configuration topics, read in two parts that meet exactly. When a job starts, {@link #backlog}
 * reads every topic from its beginning up to the offsets it has then (the snapshots published
 * before the job started), while the job is being built, like a {@code --config} folder; those
 * snapshots are in force before any flow is evaluated. {@link #after} is the source of what comes
 * later, from exactly those offsets on.
 *
 * <p>Snapshots are versions over time, and a flow needs the one in force at its start however old,
 * so a configuration topic is always read from its beginning: its offsets are not committed, and a
 * restored job continues from the offsets in its checkpoint. Keep the topic small: compact it with
 * messages keyed by account and document kind, or give it a retention that keeps the latest
 * snapshot.
 */
public final class ConfigTopics {
    private ConfigTopics() {}

    /** The messages published before the job started, and where they end. */
    public static final class Backlog {
        /** Snapshots and dead letters, by topic, partition and offset. */
        public final List<ConfigMessage> messages = new ArrayList<>();

        /** Where each partition's backlog ends: where {@link #after} starts. */
        public final Map<TopicPartition, Long> endOffsets = new HashMap<>();
    }

    /**
     * Reads the topics from their beginnings up to their current ends (committed messages only).
     *
     * @throws ConfigException naming a topic that does not exist (a mistake in the command line)
     */
    public static Backlog backlog(String bootstrapServers, List<String> topics, Duration timeout) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        p.put("client.id", "flowtrail-config-backlog");
        Backlog backlog = new Backlog();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
                if (infos == null || infos.isEmpty()) {
                    throw new ConfigException(
                            "--config-topic " + topic,
                            null,
                            "no such topic on " + bootstrapServers);
                }
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            partitions.sort(
                    (a, b) ->
                            a.topic().equals(b.topic())
                                    ? Integer.compare(a.partition(), b.partition())
                                    : a.topic().compareTo(b.topic()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            backlog.endOffsets.putAll(consumer.endOffsets(partitions, timeout));
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, partitions, backlog.endOffsets)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "configuration topics "
                                    + topics
                                    + ": could not read up to "
                                    + backlog.endOffsets
                                    + " within "
                                    + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < backlog.endOffsets.get(tp)) {
                        read.computeIfAbsent(tp, k -> new ArrayList<>()).add(r);
                    }
                }
            }
            // Partition by partition, each in offset order: the order a single reader would see.
            for (TopicPartition tp : partitions) {
                for (ConsumerRecord<byte[], byte[]> r : read.getOrDefault(tp, List.of())) {
                    backlog.messages.add(ConfigKafkaDeserializer.message(r));
                }
            }
        }
        return backlog;
    }

    private static boolean caughtUp(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    /**
     * What the topics receive after the backlog: unbounded, from the backlog's end offsets on (a
     * partition added later from its beginning). Offsets are not committed (see above).
     */
    public static KafkaSource<ConfigMessage> after(
            String bootstrapServers,
            List<String> topics,
            String groupId,
            Map<TopicPartition, Long> from) {
        return KafkaSource.<ConfigMessage>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topics)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.offsets(from, OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ConfigKafkaDeserializer())
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "false")
                .build();
    }
}
