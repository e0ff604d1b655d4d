package io.flowtrail.sink;

import io.flowtrail.model.Alert;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts to a Kafka topic as JSON ({@link AlertJson}), keyed by {@code alert_id}.
 *
 * <p>At-least-once, not transactional: an alert reaches the topic as soon as its window closes,
 * instead of waiting for the next checkpoint to commit a transaction (seconds to minutes in an
 * incident), and consumers need no {@code read_committed}. After a failure the alerts since the
 * last checkpoint are sent again with the same ids: de-duplicate by key (a compacted topic, or
 * "first alert_id wins" in the consumer). The Parquet {@code alerts} table is exactly-once.
 */
public final class AlertKafkaSink {
    private AlertKafkaSink() {}

    public static KafkaSink<Alert> to(String bootstrapServers, String topic) {
        return KafkaSink.<Alert>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new Serializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    static final class Serializer implements KafkaRecordSerializationSchema<Alert> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                Alert alert, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic,
                    alert.alertId.getBytes(StandardCharsets.UTF_8),
                    AlertJson.of(alert).getBytes(StandardCharsets.UTF_8));
        }
    }
}
