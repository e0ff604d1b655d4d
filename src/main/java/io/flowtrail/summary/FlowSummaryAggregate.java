package io.flowtrail.summary;

import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Merges the partial rows of the reading tasks into a window's rows: one per key, chained when keys
 * share the {@link SummaryKey#shuffleKey key} the window is keyed by.
 *
 * <p>The accumulator takes over the key and totals of the partial rows it is given ({@link
 * PartialSummary#add}): the window operator hands each partial, fresh from the shuffle (the
 * serializers never reuse instances), to one tumbling window only, and {@link #merge} consumes
 * {@code b}. A caller that kept using a partial row after adding it would see it change.
 */
public class FlowSummaryAggregate
        implements AggregateFunction<PartialSummary, PartialSummary, PartialSummary> {
    @Override
    public PartialSummary createAccumulator() {
        return new PartialSummary();
    }

    @Override
    public PartialSummary add(PartialSummary value, PartialSummary acc) {
        for (PartialSummary p = value; p != null; p = p.next) {
            acc.add(p);
        }
        return acc;
    }

    @Override
    public PartialSummary getResult(PartialSummary acc) {
        return acc;
    }

    @Override
    public PartialSummary merge(PartialSummary a, PartialSummary b) {
        return b.key == null ? a : add(b, a);
    }
}
