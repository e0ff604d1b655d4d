package io.flowtrail.detect.egress;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.summary.WindowCombiner;

/**
 * Accepted egress to external destinations ({@link EgressEvent#of}) into {@link EgressWindow
 * partial windows} per interface and window, inside the reading task (see {@link WindowCombiner}):
 * a few partials per interface and window cross the shuffle instead of one event per flow. A flow
 * whose window had closed here is dropped: the flow_summary pre-aggregation in the same task sees
 * the same watermark and has sent it to the dead letters as late.
 */
public final class EgressCombiner
        extends WindowCombiner<FlowRecord, EgressCombiner.Key, EgressWindow, EgressPartial> {
    private static final long serialVersionUID = 1L;

    private final EgressParams params;
    private transient Key probe;

    public EgressCombiner(EgressParams params, long windowMillis, long boundMillis, int maxOpen) {
        super(windowMillis, boundMillis, maxOpen);
        this.params = params;
    }

    @Override
    public void open() throws Exception {
        super.open();
        probe = new Key();
    }

    @Override
    protected long eventTime(FlowRecord r) {
        return r.startMillis();
    }

    @Override
    protected void add(FlowRecord r, long windowStart) {
        EgressEvent e = EgressEvent.of(r);
        if (e != null) {
            accumulator(probe.set(e.interfaceId, windowStart)).add(e, params);
        }
    }

    @Override
    protected Key keep(Key k) {
        return new Key().set(k.interfaceId, k.windowStart);
    }

    @Override
    protected EgressWindow create(Key key) {
        return new EgressWindow();
    }

    @Override
    protected long windowStart(Key key) {
        return key.windowStart;
    }

    @Override
    protected EgressPartial partial(Key key, EgressWindow window) {
        return new EgressPartial(key.interfaceId, key.windowStart, window);
    }

    /** An interface and a window. */
    static final class Key {
        String interfaceId;
        long windowStart;

        Key set(String interfaceId, long windowStart) {
            this.interfaceId = interfaceId;
            this.windowStart = windowStart;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key
                    && ((Key) o).windowStart == windowStart
                    && ((Key) o).interfaceId.equals(interfaceId);
        }

        @Override
        public int hashCode() {
            return 31 * interfaceId.hashCode() + Long.hashCode(windowStart);
        }
    }
}
