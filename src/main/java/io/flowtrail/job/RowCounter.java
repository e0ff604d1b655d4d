package io.flowtrail.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Passes rows through and counts them into the run's accumulator for their table. */
public final class RowCounter<T> extends RichMapFunction<T, T> {
    private final String table;
    private transient LongCounter rows;
    private transient org.apache.flink.metrics.Counter rowsMetric;

    public RowCounter(String table) {
        this.table = table;
    }

    @Override
    public void open(OpenContext openContext) {
        rows = new LongCounter();
        getRuntimeContext().addAccumulator(RunCounters.rows(table), rows);
        rowsMetric = getRuntimeContext().getMetricGroup().counter("flowtrail_rows_" + table);
    }

    private transient java.util.Map<String, org.apache.flink.metrics.Counter> byCategory;

    /** Alerts counted by category: {@code flowtrail_alerts} in the group {@code category}. */
    private org.apache.flink.metrics.Counter alertsByCategory(String category) {
        if (byCategory == null) {
            byCategory = new java.util.HashMap<>();
        }
        return byCategory.computeIfAbsent(
                String.valueOf(category),
                c ->
                        getRuntimeContext()
                                .getMetricGroup()
                                .addGroup("category", c)
                                .counter("flowtrail_alerts"));
    }

    @Override
    public T map(T value) {
        rows.add(1);
        rowsMetric.inc();
        if (value instanceof io.flowtrail.model.Alert) {
            alertsByCategory(((io.flowtrail.model.Alert) value).category).inc();
        }
        return value;
    }
}
