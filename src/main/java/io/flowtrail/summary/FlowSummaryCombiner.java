package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Pre-aggregates flow records into {@link PartialSummary partial rows} of {@code flow_summary} and,
 * for REJECTs, of {@code rejects}, inside the reading task, before the shuffle (see {@link
 * WindowCombiner}): flow logs repeat the same interface, direction and protocol thousands of times
 * a window.
 *
 * <p>A record whose window had already closed here is late: it goes to the {@code late} output,
 * exactly as Flink's window operator would have sent it (allowed lateness 0).
 */
public final class FlowSummaryCombiner
        extends WindowCombiner<FlowRecord, SummaryKey, FlowSummaryAccumulator, PartialSummary> {
    private static final long serialVersionUID = 1L;

    private final OutputTag<FlowRecord> late;
    private final boolean rejects;
    private transient SummaryKey probe;

    /**
     * @param rejects whether to pre-aggregate {@code rejects} rows too (off when the job does not
     *     write that table)
     */
    public FlowSummaryCombiner(
            long windowMillis,
            long boundMillis,
            int maxOpenRows,
            OutputTag<FlowRecord> late,
            boolean rejects) {
        super(windowMillis, boundMillis, maxOpenRows);
        this.late = late;
        this.rejects = rejects;
    }

    @Override
    public void open() throws Exception {
        super.open();
        probe = new SummaryKey();
    }

    @Override
    protected long eventTime(FlowRecord r) {
        return r.startMillis();
    }

    @Override
    protected void add(FlowRecord r, long windowStart) {
        accumulator(probe.set(r, windowStart)).add(r);
        if (rejects && r.action == FlowRecord.ACTION_REJECT) {
            accumulator(probe.setReject(r, windowStart)).add(r);
        }
    }

    @Override
    protected SummaryKey keep(SummaryKey key) {
        return key.copy();
    }

    @Override
    protected FlowSummaryAccumulator create(SummaryKey key) {
        return new FlowSummaryAccumulator();
    }

    @Override
    protected long windowStart(SummaryKey key) {
        return key.windowStart;
    }

    @Override
    protected PartialSummary partial(SummaryKey key, FlowSummaryAccumulator totals) {
        return new PartialSummary(key, totals);
    }

    @Override
    protected void late(StreamRecord<FlowRecord> element) {
        output.collect(late, element);
    }
}
