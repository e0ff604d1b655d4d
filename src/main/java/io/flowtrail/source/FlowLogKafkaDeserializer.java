package io.flowtrail.source;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLogFormat;
import io.flowtrail.parse.FlowLogMessages;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka messages to flow records: one record per message, several lines, CloudWatch Logs
 * subscription payloads or whole files (see {@link FlowLogMessages}). A message that is not flow
 * logs (not JSON, wrong shape, binary) becomes a dead letter located by topic, partition and
 * offset; it never fails the job.
 */
public final class FlowLogKafkaDeserializer
        implements KafkaRecordDeserializationSchema<FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final FlowLogFormat fallbackFormat;
    private transient FlowLogMessages messages;

    public FlowLogKafkaDeserializer(FlowLogFormat fallbackFormat) {
        this.fallbackFormat = fallbackFormat;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        messages = new FlowLogMessages(fallbackFormat);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FlowRecord> out) {
        if (messages == null) {
            messages = new FlowLogMessages(fallbackFormat);
        }
        messages.read(record.value(), MessageLocation.of(record) + " line ", out::collect);
    }

    @Override
    public TypeInformation<FlowRecord> getProducedType() {
        return TypeInformation.of(FlowRecord.class);
    }
}
