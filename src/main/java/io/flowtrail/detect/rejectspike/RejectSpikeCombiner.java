package io.flowtrail.detect.rejectspike;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.summary.IdWindowCombiner;
import io.flowtrail.summary.WindowCombiner;

/**
 * Rejected flows into {@link SpikeWindow partial windows} per key they count towards (their
 * interface, and its subnet and VPC when known) and window, inside the reading task (see {@link
 * WindowCombiner}): a few partials per key and window cross the shuffle instead of three events per
 * rejected flow. A flow whose window had closed here is dropped: the flow_summary pre-aggregation
 * in the same task sees the same watermark and has sent it to the dead letters as late.
 */
public final class RejectSpikeCombiner extends IdWindowCombiner<SpikeWindow, SpikePartial> {
    private static final long serialVersionUID = 1L;

    public RejectSpikeCombiner(long windowMillis, long boundMillis, int maxOpen) {
        super(windowMillis, boundMillis, maxOpen);
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
        accumulator(probe().set(r.interfaceId, SpikeWindow.INTERFACE, windowStart))
                .add(r, source, sourceText, portText);
        if (r.subnetId != null) {
            accumulator(probe().set(r.subnetId, SpikeWindow.SUBNET, windowStart))
                    .add(r, source, sourceText, portText);
        }
        if (r.vpcId != null) {
            accumulator(probe().set(r.vpcId, SpikeWindow.VPC, windowStart))
                    .add(r, source, sourceText, portText);
        }
    }

    @Override
    protected SpikeWindow create(IdKey key) {
        return new SpikeWindow(key.level);
    }

    @Override
    protected SpikePartial partial(IdKey key, SpikeWindow window) {
        return new SpikePartial(key.id, key.windowStart, window);
    }
}
