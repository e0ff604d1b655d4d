package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;

/**
 * A {@link WindowCombiner} of flow records whose partials are keyed by one id (an interface, subnet
 * or VPC id) and a window: the detectors' pre-aggregations. Subclasses add a record to {@code
 * accumulator(probe().set(id, level, windowStart))}.
 */
public abstract class IdWindowCombiner<A, OUT>
        extends WindowCombiner<FlowRecord, IdWindowCombiner.IdKey, A, OUT> {
    private static final long serialVersionUID = 1L;

    private transient IdKey probe;

    protected IdWindowCombiner(long windowMillis, long boundMillis, int maxOpen) {
        super(windowMillis, boundMillis, maxOpen);
    }

    @Override
    public void open() throws Exception {
        super.open();
        probe = new IdKey();
    }

    /** The reused lookup key. */
    protected final IdKey probe() {
        return probe;
    }

    @Override
    protected final long eventTime(FlowRecord r) {
        return r.startMillis();
    }

    @Override
    protected final IdKey keep(IdKey k) {
        return new IdKey().set(k.id, k.level, k.windowStart);
    }

    @Override
    protected final long windowStart(IdKey key) {
        return key.windowStart;
    }

    /**
     * An id and a window; {@code level} says which kind of id, and is not part of the key (the ids'
     * prefixes differ).
     */
    public static final class IdKey {
        public String id;
        public byte level;
        public long windowStart;

        public IdKey set(String id, byte level, long windowStart) {
            this.id = id;
            this.level = level;
            this.windowStart = windowStart;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IdKey
                    && ((IdKey) o).windowStart == windowStart
                    && ((IdKey) o).id.equals(id);
        }

        @Override
        public int hashCode() {
            return 31 * id.hashCode() + Long.hashCode(windowStart);
        }
    }
}
