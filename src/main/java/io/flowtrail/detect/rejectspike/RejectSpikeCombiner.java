package io.flowtrail.detect.rejectspike;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.summary.WindowCombiner;

/**
 * Rejected flows into {@link SpikeWindow partial windows} per key they count towards (their
 * interface, and its subnet and VPC when known) and window, inside the reading task (see {@link
 * WindowCombiner}): a few partials per key and window cross the shuffle instead of three events per
 * rejected flow. A flow whose window had closed here is dropped: the flow_summary pre-aggregation
 * in the same task sees the same watermark and has sent it to the dead letters as late.
 */
public final class RejectSpikeCombiner
        extends WindowCombiner<FlowRecord, RejectSpikeCombiner.Key, SpikeWindow, SpikePartial> {
    private static final long serialVersionUID = 1L;

    private transient Key probe;

    public RejectSpikeCombiner(long windowMillis, long boundMillis, int maxOpen) {
        super(windowMillis, boundMillis, maxOpen);
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
        if (r.action != FlowRecord.ACTION_REJECT || !r.isTraffic() || r.interfaceId == null) {
            return;
        }
        long source = IpAddresses.hash(r.srcFamily, r.srcHi, r.srcLo);
        String sourceText = IpAddresses.format(r.srcFamily, r.srcHi, r.srcLo);
        String portText =
                (r.protocol == 6 ? "tcp/" : r.protocol == 17 ? "udp/" : r.protocol + "/")
                        + r.dstPort;
        accumulator(probe.set(r.interfaceId, SpikeWindow.INTERFACE, windowStart))
                .add(r, source, sourceText, portText);
        if (r.subnetId != null) {
            accumulator(probe.set(r.subnetId, SpikeWindow.SUBNET, windowStart))
                    .add(r, source, sourceText, portText);
        }
        if (r.vpcId != null) {
            accumulator(probe.set(r.vpcId, SpikeWindow.VPC, windowStart))
                    .add(r, source, sourceText, portText);
        }
    }

    @Override
    protected Key keep(Key k) {
        return new Key().set(k.id, k.level, k.windowStart);
    }

    @Override
    protected SpikeWindow create(Key key) {
        return new SpikeWindow(key.level);
    }

    @Override
    protected long windowStart(Key key) {
        return key.windowStart;
    }

    @Override
    protected SpikePartial partial(Key key, SpikeWindow window) {
        return new SpikePartial(key.id, key.windowStart, window);
    }

    /** An interface, subnet or VPC id and a window. */
    static final class Key {
        String id;
        byte level;
        long windowStart;

        Key set(String id, byte level, long windowStart) {
            this.id = id;
            this.level = level;
            this.windowStart = windowStart;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key
                    && ((Key) o).windowStart == windowStart
                    && ((Key) o).id.equals(id);
        }

        @Override
        public int hashCode() {
            return 31 * id.hashCode() + Long.hashCode(windowStart);
        }
    }
}
