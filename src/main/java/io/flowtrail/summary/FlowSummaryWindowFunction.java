package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.FlowSummaryRow;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a window's totals and its key into a {@code flow_summary} row. */
public class FlowSummaryWindowFunction
        extends ProcessWindowFunction<
                FlowSummaryAccumulator, FlowSummaryRow, SummaryKey, TimeWindow> {
    @Override
    public void process(
            SummaryKey key,
            Context context,
            Iterable<FlowSummaryAccumulator> totals,
            Collector<FlowSummaryRow> out) {
        for (FlowSummaryAccumulator acc : totals) {
            FlowSummaryRow row = new FlowSummaryRow();
            row.windowStart = context.window().getStart();
            row.windowEnd = context.window().getEnd();
            row.accountId = key.accountId;
            row.vpcId = key.vpcId;
            row.subnetId = key.subnetId;
            row.interfaceId = key.interfaceId;
            row.direction = FlowRecord.directionName(key.direction);
            row.action = FlowRecord.actionName(key.action);
            row.protocol = key.protocol;
            row.flows = acc.flows;
            row.packets = acc.packets;
            row.bytes = acc.bytes;
            row.distinctSrcAddrs = acc.srcAddrs.count();
            row.distinctDstAddrs = acc.dstAddrs.count();
            row.distinctDstPorts = acc.dstPorts.count();
            out.collect(row);
        }
    }
}
