package io.flowtrail.summary;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Merges the partial rows of the reading tasks into a window's totals. */
public class FlowSummaryAggregate
        implements AggregateFunction<
                PartialSummary, FlowSummaryAccumulator, FlowSummaryAccumulator> {
    @Override
    public FlowSummaryAccumulator createAccumulator() {
        return new FlowSummaryAccumulator();
    }

    @Override
    public FlowSummaryAccumulator add(PartialSummary value, FlowSummaryAccumulator acc) {
        return acc.merge(value.totals);
    }

    @Override
    public FlowSummaryAccumulator getResult(FlowSummaryAccumulator acc) {
        return acc;
    }

    @Override
    public FlowSummaryAccumulator merge(FlowSummaryAccumulator a, FlowSummaryAccumulator b) {
        return a.merge(b);
    }
}
