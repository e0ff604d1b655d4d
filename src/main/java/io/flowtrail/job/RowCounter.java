package io.flowtrail.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Passes rows through and counts them into the run's accumulator for their table. */
public final class RowCounter<T> extends RichMapFunction<T, T> {
    private final String table;
    private transient LongCounter rows;

    public RowCounter(String table) {
        this.table = table;
    }

    @Override
    public void open(OpenContext openContext) {
        rows = new LongCounter();
        getRuntimeContext().addAccumulator(RunCounters.rows(table), rows);
    }

    @Override
    public T map(T value) {
        rows.add(1);
        return value;
    }
}
