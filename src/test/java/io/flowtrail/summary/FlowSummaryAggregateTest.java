package io.flowtrail.summary;

import static io.flowtrail.summary.PartialSummarySerializerTest.key;
import static io.flowtrail.summary.PartialSummarySerializerTest.totals;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The window side of flow_summary: partial rows, as they come from the shuffle, into rows. */
class FlowSummaryAggregateTest {
    private final FlowSummaryAggregate aggregate = new FlowSummaryAggregate();

    /** A partial row as the window receives it: written and read back (its sets packed). */
    private static PartialSummary shuffled(String eni, int distinctSources, long bytes)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        PartialSummarySerializer.INSTANCE.serialize(
                new PartialSummary(
                        key(eni, SummaryKey.FLOW_SUMMARY, null), totals(distinctSources, bytes)),
                out);
        return PartialSummarySerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void partialRowsOfOneKeyAddUpAndOtherKeysStayApart() throws Exception {
        PartialSummary acc = aggregate.createAccumulator();
        acc = aggregate.add(shuffled("eni-a", 3, 10), acc);
        acc = aggregate.add(shuffled("eni-b", 2, 5), acc);
        acc = aggregate.add(shuffled("eni-a", 5, 1), acc); // sources 0-4: 3 of them seen before
        PartialSummary rows = aggregate.getResult(acc);
        assertThat(rows.key.interfaceId).isEqualTo("eni-a");
        assertThat(rows.totals.flows).isEqualTo(8);
        assertThat(rows.totals.bytes).isEqualTo(11);
        assertThat(rows.totals.srcAddrs.count()).isEqualTo(5);
        assertThat(rows.totals.dstAddrs.count()).isEqualTo(1);
        assertThat(rows.next.key.interfaceId).isEqualTo("eni-b");
        assertThat(rows.next.totals.srcAddrs.count()).isEqualTo(2);
        assertThat(rows.next.next).isNull();
    }

    @Test
    void mergingTwoAccumulatorsMergesTheirRowsKeyByKey() throws Exception {
        PartialSummary a = aggregate.add(shuffled("eni-a", 3, 10), aggregate.createAccumulator());
        PartialSummary b = aggregate.add(shuffled("eni-a", 4, 1), aggregate.createAccumulator());
        b = aggregate.add(shuffled("eni-c", 1, 7), b);
        PartialSummary rows = aggregate.merge(a, b);
        assertThat(rows.totals.bytes).isEqualTo(11);
        assertThat(rows.totals.srcAddrs.count()).isEqualTo(4);
        assertThat(rows.next.key.interfaceId).isEqualTo("eni-c");
        assertThat(rows.next.totals.bytes).isEqualTo(7);
        assertThat(aggregate.merge(a, aggregate.createAccumulator())).isSameAs(a);
    }
}
