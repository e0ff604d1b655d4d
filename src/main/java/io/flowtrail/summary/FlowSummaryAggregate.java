package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds flow records into the running totals of their summary row (pre-aggregated per window). */
public class FlowSummaryAggregate
        implements AggregateFunction<FlowRecord, FlowSummaryAccumulator, FlowSummaryAccumulator> {
    @Override
    public FlowSummaryAccumulator createAccumulator() {
        return new FlowSummaryAccumulator();
    }

    @Override
    public FlowSummaryAccumulator add(FlowRecord value, FlowSummaryAccumulator acc) {
        acc.add(value);
        return acc;
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
