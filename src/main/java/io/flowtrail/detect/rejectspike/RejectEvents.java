package io.flowtrail.detect.rejectspike;

import io.flowtrail.model.FlowRecord;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Rejected flows, one event per key they count towards: the interface, and its subnet and VPC when
 * known. Runs in the reading task, before the shuffle.
 */
public final class RejectEvents implements FlatMapFunction<FlowRecord, RejectEvent> {
    @Override
    public void flatMap(FlowRecord r, Collector<RejectEvent> out) {
        if (r.action != FlowRecord.ACTION_REJECT || !r.isTraffic() || r.interfaceId == null) {
            return;
        }
        out.collect(RejectEvent.of(r, r.interfaceId, RejectEvent.INTERFACE));
        if (r.subnetId != null) {
            out.collect(RejectEvent.of(r, r.subnetId, RejectEvent.SUBNET));
        }
        if (r.vpcId != null) {
            out.collect(RejectEvent.of(r, r.vpcId, RejectEvent.VPC));
        }
    }
}
