package io.flowtrail.summary;

import io.flowtrail.model.KmsUsageRow;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a window's totals and its key into a {@code kms_usage} row. */
public class KmsUsageWindowFunction
        extends ProcessWindowFunction<KmsUsageAccumulator, KmsUsageRow, KmsUsageKey, TimeWindow> {
    @Override
    public void process(
            KmsUsageKey key,
            Context context,
            Iterable<KmsUsageAccumulator> totals,
            Collector<KmsUsageRow> out) {
        for (KmsUsageAccumulator acc : totals) {
            out.collect(row(key, context.window(), acc));
        }
    }

    static KmsUsageRow row(KmsUsageKey key, TimeWindow w, KmsUsageAccumulator acc) {
        KmsUsageRow row = new KmsUsageRow();
        row.windowStart = w.getStart();
        row.windowEnd = w.getEnd();
        row.accountId = key.accountId;
        row.region = key.region;
        row.keyArn = key.keyArn;
        row.principalArn = key.principalArn;
        row.eventName = key.eventName;
        row.calls = acc.calls;
        row.errors = acc.errors;
        row.distinctSourceIps = acc.sourceIps.count();
        row.viaVpcEndpoint = acc.viaVpcEndpoint;
        return row;
    }
}
