package io.flowtrail.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.flowtrail.summary.FlowSummaryAccumulator;
import io.flowtrail.summary.SummaryKey;
import org.junit.jupiter.api.Test;

/** Records and state travel through Flink's POJO serializer, never Kryo. */
class PojoSerializationTest {
    @Test
    void flowRecordIsAPojo() {
        assertSerializedAsPojoWithoutKryo(FlowRecord.class);
    }

    @Test
    void deadLetterIsAPojo() {
        assertSerializedAsPojoWithoutKryo(DeadLetter.class);
    }

    @Test
    void flowSummaryRowIsAPojo() {
        assertSerializedAsPojoWithoutKryo(FlowSummaryRow.class);
    }

    @Test
    void alertIsAPojo() {
        assertSerializedAsPojoWithoutKryo(Alert.class);
    }

    @Test
    void configMessageIsAPojo() {
        assertSerializedAsPojoWithoutKryo(io.flowtrail.config.ConfigMessage.class);
    }

    @Test
    void summaryStateIsPojos() {
        assertSerializedAsPojoWithoutKryo(SummaryKey.class);
        assertSerializedAsPojoWithoutKryo(FlowSummaryAccumulator.class);
        // DistinctCount and PartialSummary have hand-written serializers: see
        // PartialSummarySerializerTest.
    }
}
