package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.FlowSummaryRow;
import io.flowtrail.model.RejectRow;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a window's rows (one per key; see {@link FlowSummaryAggregate}) into a {@code flow_summary}
 * row, or a {@code rejects} row (on {@link #REJECTS}).
 */
public class FlowSummaryWindowFunction
        extends ProcessWindowFunction<PartialSummary, FlowSummaryRow, Long, TimeWindow> {
    public static final OutputTag<RejectRow> REJECTS =
            new OutputTag<>("rejects", TypeInformation.of(RejectRow.class));

    @Override
    public void process(
            Long hash,
            Context context,
            Iterable<PartialSummary> rows,
            Collector<FlowSummaryRow> out) {
        for (PartialSummary first : rows) {
            for (PartialSummary row = first; row != null; row = row.next) {
                if (row.key == null) {
                    continue;
                }
                if (row.key.table == SummaryKey.REJECTS) {
                    context.output(REJECTS, rejectRow(row.key, context.window(), row.totals));
                } else {
                    out.collect(summaryRow(row.key, context.window(), row.totals));
                }
            }
        }
    }

    private static FlowSummaryRow summaryRow(
            SummaryKey key, TimeWindow w, FlowSummaryAccumulator acc) {
        FlowSummaryRow row = new FlowSummaryRow();
        row.windowStart = w.getStart();
        row.windowEnd = w.getEnd();
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
        return row;
    }

    private static RejectRow rejectRow(SummaryKey key, TimeWindow w, FlowSummaryAccumulator acc) {
        RejectRow row = new RejectRow();
        row.windowStart = w.getStart();
        row.windowEnd = w.getEnd();
        row.accountId = key.accountId;
        row.vpcId = key.vpcId;
        row.subnetId = key.subnetId;
        row.interfaceId = key.interfaceId;
        row.direction = FlowRecord.directionName(key.direction);
        row.protocol = key.protocol;
        row.dstPort = key.dstPort;
        row.attributedTo = key.attribution;
        row.flows = acc.flows;
        row.packets = acc.packets;
        row.distinctSrcAddrs = acc.srcAddrs.count();
        return row;
    }
}
