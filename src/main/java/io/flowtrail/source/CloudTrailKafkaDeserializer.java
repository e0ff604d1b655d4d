package io.flowtrail.source;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.parse.CloudTrailMessages;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka messages to CloudTrail events: a single event, an EventBridge envelope or a whole S3 log
 * file, gzip or not (see {@link CloudTrailMessages}). A message that is not CloudTrail (not JSON,
 * wrong shape, binary) becomes a dead letter located by topic, partition and offset; it never fails
 * the job. Events the reader skips (other services, KMS's own EventBridge events, digest files) are
 * counted in the metric {@code flowtrail_cloudtrail_skipped_events}.
 */
public final class CloudTrailKafkaDeserializer
        implements KafkaRecordDeserializationSchema<CloudTrailEvent> {
    private static final long serialVersionUID = 1L;

    private transient CloudTrailMessages messages;
    private transient Counter skipped;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        messages = new CloudTrailMessages();
        skipped = context.getMetricGroup().counter("flowtrail_cloudtrail_skipped_events");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CloudTrailEvent> out) {
        if (messages == null) {
            messages = new CloudTrailMessages();
        }
        long before = messages.skipped();
        messages.read(record.value(), MessageLocation.of(record), out::collect);
        if (skipped != null) {
            skipped.inc(messages.skipped() - before);
        }
    }

    @Override
    public TypeInformation<CloudTrailEvent> getProducedType() {
        return TypeInformation.of(CloudTrailEvent.class);
    }
}
