package io.flowtrail.source;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a Kafka message is, as dead letters name it: {@code topic T partition P offset O}. */
final class MessageLocation {
    private MessageLocation() {}

    static String of(ConsumerRecord<?, ?> record) {
        return "topic "
                + record.topic()
                + " partition "
                + record.partition()
                + " offset "
                + record.offset();
    }
}
