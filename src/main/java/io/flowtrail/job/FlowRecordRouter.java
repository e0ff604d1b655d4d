package io.flowtrail.job;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * First stop after the flow-log sources: counts every record, sends traffic on, counts NODATA and
 * SKIPDATA records (they are not traffic), and routes records that did not parse to the dead
 * letters.
 */
public final class FlowRecordRouter extends ProcessFunction<FlowRecord, FlowRecord> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>(
                    "flow-dead-letters",
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(DeadLetter.class));

    private transient LongCounter read;
    private transient LongCounter traffic;
    private transient LongCounter nodata;
    private transient LongCounter skipdata;
    private transient LongCounter unparsed;

    // Flink metrics (for reporters; the accumulators above make the closing summary).
    private transient org.apache.flink.metrics.Counter readMetric;
    private transient org.apache.flink.metrics.Counter deadMetric;
    private transient org.apache.flink.metrics.Counter noDataMetric;
    private transient long watermark = Long.MIN_VALUE;

    @Override
    public void open(OpenContext openContext) {
        org.apache.flink.metrics.MetricGroup metrics = getRuntimeContext().getMetricGroup();
        readMetric = metrics.counter("flowtrail_flow_records_read");
        deadMetric = metrics.counter("flowtrail_flow_dead_letters");
        noDataMetric = metrics.counter("flowtrail_flow_nodata_skipdata");
        metrics.gauge(
                "flowtrail_flow_watermark_lag_ms",
                () -> watermark == Long.MIN_VALUE ? -1L : System.currentTimeMillis() - watermark);
        read = counter(RunCounters.READ);
        traffic = counter(RunCounters.TRAFFIC);
        nodata = counter(RunCounters.NODATA);
        skipdata = counter(RunCounters.SKIPDATA);
        unparsed = counter(RunCounters.UNPARSED);
    }

    private LongCounter counter(String name) {
        LongCounter c = new LongCounter();
        getRuntimeContext().addAccumulator(name, c);
        return c;
    }

    @Override
    public void processElement(FlowRecord r, Context ctx, Collector<FlowRecord> out) {
        read.add(1);
        readMetric.inc();
        watermark = ctx.timerService().currentWatermark();
        if (r.deadLetter != null) {
            deadMetric.inc();
            unparsed.add(1);
            ctx.output(DEAD_LETTERS, r.deadLetter);
        } else if (r.logStatus == FlowRecord.STATUS_NODATA) {
            noDataMetric.inc();
            nodata.add(1);
        } else if (r.logStatus == FlowRecord.STATUS_SKIPDATA) {
            noDataMetric.inc();
            skipdata.add(1);
        } else {
            traffic.add(1);
            out.collect(r);
        }
    }
}
