package io.flowtrail.source;

import io.flowtrail.config.ConfigMessage;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.parse.ConfigException;
import io.flowtrail.parse.ConfigSnapshotMessages;
import io.flowtrail.parse.FlowLogTextReader;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka messages of a configuration topic to snapshot versions (see {@link ConfigSnapshotMessages}
 * for the shapes). A message that is not a snapshot Flowtrail can use becomes a dead letter located
 * by topic, partition and offset, whose reason names the JSON path and what was expected; the job
 * carries on with the snapshots it has.
 */
public final class ConfigKafkaDeserializer
        implements KafkaRecordDeserializationSchema<ConfigMessage> {
    private static final long serialVersionUID = 1L;

    /** What {@code dead_letters.source} says for configuration messages. */
    public static final String SOURCE = "config";

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ConfigMessage> out) {
        out.collect(message(record));
    }

    /** One record as a snapshot version, or as a dead letter. */
    public static ConfigMessage message(ConsumerRecord<byte[], byte[]> record) {
        String location = MessageLocation.of(record);
        byte[] value = record.value();
        String reason;
        try {
            return ConfigMessage.of(
                    ConfigSnapshotMessages.read(value, record.timestamp(), location));
        } catch (ConfigException e) {
            reason = ConfigSnapshotMessages.reason(e);
        } catch (RuntimeException e) {
            // Not a problem of the message's that the reader knows to name: still never a crash.
            reason = "unreadable: " + e;
        }
        return ConfigMessage.dead(
                new DeadLetter(
                        SOURCE,
                        location,
                        reason,
                        value == null ? "" : FlowLogTextReader.raw(value, 0, value.length),
                        -1L,
                        System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<ConfigMessage> getProducedType() {
        return TypeInformation.of(ConfigMessage.class);
    }
}
