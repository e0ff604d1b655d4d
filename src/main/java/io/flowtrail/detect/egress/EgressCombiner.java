package io.flowtrail.detect.egress;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.summary.IdWindowCombiner;
import io.flowtrail.summary.WindowCombiner;

/**
 * Accepted egress to external destinations ({@link EgressEvent#of}) into {@link EgressWindow
 * partial windows} per interface and window, inside the reading task (see {@link WindowCombiner}):
 * a few partials per interface and window cross the shuffle instead of one event per flow. A flow
 * whose window had closed here is dropped: the flow_summary pre-aggregation in the same task sees
 * the same watermark and has sent it to the dead letters as late.
 */
public final class EgressCombiner extends IdWindowCombiner<EgressWindow, EgressPartial> {
    private static final long serialVersionUID = 1L;

    private final EgressParams params;

    public EgressCombiner(EgressParams params, long windowMillis, long boundMillis, int maxOpen) {
        super(windowMillis, boundMillis, maxOpen);
        this.params = params;
    }

    @Override
    protected void add(FlowRecord r, long windowStart) {
        EgressEvent e = EgressEvent.of(r);
        if (e != null) {
            accumulator(probe().set(e.interfaceId, (byte) 0, windowStart)).add(e, params);
        }
    }

    @Override
    protected EgressWindow create(IdKey key) {
        return new EgressWindow();
    }

    @Override
    protected EgressPartial partial(IdKey key, EgressWindow window) {
        return new EgressPartial(key.id, key.windowStart, window);
    }
}
