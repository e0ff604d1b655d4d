package io.flowtrail.summary;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-aggregation per key and tumbling window inside the reading task, before the shuffle: one
 * partial per key and window crosses the network instead of every record. The keyed operator
 * downstream merges the partials of a window, so emitting a partial early only costs shuffle
 * volume, never correctness.
 *
 * <p>A window's partials are emitted when the watermark passes the window's end, and always before
 * that watermark is forwarded, so downstream they are never late. Everything is emitted at the end
 * of input (batch), before every checkpoint barrier (so the combiner has no state to snapshot), and
 * whenever more than {@code maxOpen} partials are open (memory stays bounded).
 *
 * <p>A window's partials also leave as soon as this task's own records say the window is over: when
 * a record starts more than the out-of-orderness bound after the window's end. A batch replay has
 * no watermarks until its input ends, and its files come in time order, so this keeps a few windows
 * open per task instead of filling the table to {@code maxOpen}; a record that still arrives for
 * such a window opens a new partial, merged downstream like any other.
 *
 * <p>A record whose window had already closed here is late: {@link #late} decides what becomes of
 * it, as Flink's window operator would have (allowed lateness 0).
 *
 * @param <IN> the records
 * @param <K> the key of a partial (window included); subclasses look up with a reused probe key and
 *     {@link #keep} copies it when a partial is opened
 * @param <A> the partial's accumulator
 * @param <OUT> what is emitted for a partial
 */
public abstract class WindowCombiner<IN, K, A, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    protected final long windowMillis;
    private final long boundMillis;
    private final int maxOpen;

    /**
     * The open partials, one table per window start: a window leaves as a whole, without walking
     * the partials of the windows that stay open (a straggler that reopens an old window would
     * otherwise cost a pass over every open partial).
     */
    private transient TreeMap<Long, Map<K, A>> open;

    /** How many partials are open, over all windows. */
    private transient int openCount;

    /** The window start and table of the last lookup: consecutive records mostly share one. */
    private transient long lastStart;

    private transient Map<K, A> lastTable;

    private transient long watermark;

    /** The latest record start seen, less the out-of-orderness bound: this task's own progress. */
    private transient long progress;

    private transient StreamRecord<OUT> reuse;

    protected WindowCombiner(long windowMillis, long boundMillis, int maxOpen) {
        this.windowMillis = windowMillis;
        this.boundMillis = boundMillis;
        this.maxOpen = maxOpen;
    }

    /** The event time of a record, epoch milliseconds. */
    protected abstract long eventTime(IN record);

    /** Adds a record to its partials, found with {@link #accumulator}. */
    protected abstract void add(IN record, long windowStart);

    /** A copy of a (reused) probe key, to keep as the key of a new partial. */
    protected abstract K keep(K probe);

    /** A new, empty accumulator for a key. */
    protected abstract A create(K key);

    /** The window start of a key. */
    protected abstract long windowStart(K key);

    /** What is emitted for a partial. */
    protected abstract OUT partial(K key, A accumulator);

    /** A record whose window had closed here; dropped unless overridden. */
    protected void late(StreamRecord<IN> element) {}

    @Override
    public void open() throws Exception {
        super.open();
        open = new TreeMap<>();
        openCount = 0;
        lastTable = null;
        watermark = Long.MIN_VALUE;
        progress = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
    }

    @Override
    public final void processElement(StreamRecord<IN> element) {
        IN r = element.getValue();
        long t = eventTime(r);
        long windowStart = t - Math.floorMod(t, windowMillis);
        if (windowStart + windowMillis - 1 <= watermark) {
            late(element);
            return;
        }
        if (t - boundMillis > progress) {
            progress = t - boundMillis;
            if (!open.isEmpty() && open.firstKey() + windowMillis - 1 <= progress) {
                emitUpTo(progress);
            }
        }
        add(r, windowStart);
    }

    /**
     * The accumulator of a key, opened when there is none (after emitting every partial if {@code
     * maxOpen} are open).
     */
    protected final A accumulator(K probe) {
        long start = windowStart(probe);
        Map<K, A> table = lastTable != null && lastStart == start ? lastTable : open.get(start);
        A acc = table == null ? null : table.get(probe);
        if (acc == null) {
            if (openCount >= maxOpen) {
                emitAll();
                table = null;
            }
            if (table == null) {
                table = new HashMap<>();
                open.put(start, table);
            }
            K key = keep(probe);
            acc = create(key);
            table.put(key, acc);
            openCount++;
        }
        lastStart = start;
        lastTable = table;
        return acc;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        emitUpTo(watermark);
        super.processWatermark(mark);
    }

    /** Emits the partials of every window that ends at or before {@code time}. */
    private void emitUpTo(long time) {
        while (!open.isEmpty() && open.firstKey() + windowMillis - 1 <= time) {
            emit(open.pollFirstEntry().getValue());
        }
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
        while (!open.isEmpty()) {
            emit(open.pollFirstEntry().getValue());
        }
    }

    /** Emits a window's partials; its table is dropped. */
    private void emit(Map<K, A> table) {
        for (Map.Entry<K, A> e : table.entrySet()) {
            emit(e.getKey(), e.getValue());
        }
        openCount -= table.size();
        if (table == lastTable) {
            lastTable = null;
        }
    }

    private void emit(K key, A accumulator) {
        output.collect(reuse.replace(partial(key, accumulator), windowStart(key)));
    }
}
