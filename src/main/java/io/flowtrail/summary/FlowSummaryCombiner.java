package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Pre-aggregates flow records into {@link PartialSummary partial rows} of {@code flow_summary} and,
 * for REJECTs, of {@code rejects}, inside the reading task, before the shuffle, so that one partial
 * per key and window crosses the network instead of every record (flow logs repeat the same
 * interface, direction and protocol thousands of times a window).
 *
 * <p>A window's partials are emitted when the watermark passes the window's end, and always before
 * that watermark is forwarded, so downstream they are never late. Everything is emitted at the end
 * of input (batch), before every checkpoint barrier (so this operator has no state to snapshot),
 * and whenever more than {@code maxOpenRows} rows are open (memory stays bounded; the downstream
 * window merges partials, so emitting early only costs shuffle volume).
 *
 * <p>A window's partials also leave as soon as this task's own records say the window is over: when
 * a record starts more than the out-of-orderness bound after the window's end. A batch replay has
 * no watermarks until its input ends, and its files come in time order, so this keeps a few windows
 * open per task instead of filling the table to {@code maxOpenRows}; a record that still arrives
 * for such a window opens a new partial row, merged downstream like any other.
 *
 * <p>A record whose window had already closed here is late: it goes to the {@code late} output,
 * exactly as Flink's window operator would have sent it (allowed lateness 0).
 */
public final class FlowSummaryCombiner extends AbstractStreamOperator<PartialSummary>
        implements OneInputStreamOperator<FlowRecord, PartialSummary>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long boundMillis;
    private final int maxOpenRows;
    private final OutputTag<FlowRecord> late;

    private transient Map<SummaryKey, FlowSummaryAccumulator> open;
    private transient SummaryKey probe;
    private transient long watermark;

    /** The latest record start seen, less the out-of-orderness bound: this task's own progress. */
    private transient long progress;

    /** The earliest window start among the open rows (Long.MAX_VALUE when none are open). */
    private transient long oldestOpen;

    private transient StreamRecord<PartialSummary> reuse;

    public FlowSummaryCombiner(
            long windowMillis, long boundMillis, int maxOpenRows, OutputTag<FlowRecord> late) {
        this.windowMillis = windowMillis;
        this.boundMillis = boundMillis;
        this.maxOpenRows = maxOpenRows;
        this.late = late;
    }

    @Override
    public void open() throws Exception {
        super.open();
        open = new HashMap<>();
        probe = new SummaryKey();
        watermark = Long.MIN_VALUE;
        progress = Long.MIN_VALUE;
        oldestOpen = Long.MAX_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<FlowRecord> element) {
        FlowRecord r = element.getValue();
        long t = r.startMillis();
        long windowStart = t - Math.floorMod(t, windowMillis);
        if (windowStart + windowMillis - 1 <= watermark) {
            output.collect(late, element);
            return;
        }
        if (t - boundMillis > progress) {
            progress = t - boundMillis;
            if (oldestOpen != Long.MAX_VALUE && oldestOpen + windowMillis - 1 <= progress) {
                emitUpTo(progress);
            }
        }
        add(probe.set(r, windowStart), r);
        if (r.action == FlowRecord.ACTION_REJECT) {
            add(probe.setReject(r, windowStart), r);
        }
        // After the adds: one that found the table full emitted everything and reset it.
        if (windowStart < oldestOpen) {
            oldestOpen = windowStart;
        }
    }

    private void add(SummaryKey key, FlowRecord r) {
        FlowSummaryAccumulator acc = open.get(key);
        if (acc == null) {
            if (open.size() >= maxOpenRows) {
                emitAll();
            }
            acc = new FlowSummaryAccumulator();
            open.put(key.copy(), acc);
        }
        acc.add(r);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        emitUpTo(watermark);
        super.processWatermark(mark);
    }

    /** Emits the rows of every window that ends at or before {@code time}. */
    private void emitUpTo(long time) {
        long oldest = Long.MAX_VALUE;
        Iterator<Map.Entry<SummaryKey, FlowSummaryAccumulator>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<SummaryKey, FlowSummaryAccumulator> e = it.next();
            long start = e.getKey().windowStart;
            if (start + windowMillis - 1 <= time) {
                emit(e.getKey(), e.getValue());
                it.remove();
            } else if (start < oldest) {
                oldest = start;
            }
        }
        oldestOpen = oldest;
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        emitAll();
    }

    @Override
    public void endInput() {
        emitAll();
    }

    private void emitAll() {
        for (Map.Entry<SummaryKey, FlowSummaryAccumulator> e : open.entrySet()) {
            emit(e.getKey(), e.getValue());
        }
        open.clear();
        oldestOpen = Long.MAX_VALUE;
    }

    private void emit(SummaryKey key, FlowSummaryAccumulator totals) {
        output.collect(reuse.replace(new PartialSummary(key, totals), key.windowStart));
    }
}
