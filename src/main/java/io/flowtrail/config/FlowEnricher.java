package io.flowtrail.config;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.NetworkInterface;
import java.util.ArrayList;
import java.util.List;

/**
 * What a configuration timeline says about flows, filled into each record: VPC and subnet when the
 * record lacks them, direction, peer class, whether it is the response of an allowed connection,
 * the kind of interface, and for a REJECT the rule behind it. One per parallel instance (it reuses
 * its verdict).
 */
public final class FlowEnricher {
    private final FlowEvaluator evaluator;
    private final Verdict verdict = new Verdict();

    /** An enricher over configuration versions as {@link ConfigSnapshot#toBytes} wrote them. */
    public static FlowEnricher ofSnapshots(Iterable<byte[]> versions) {
        List<ConfigSnapshot> list = new ArrayList<>();
        for (byte[] v : versions) {
            list.add(ConfigSnapshot.fromBytes(v));
        }
        return new FlowEnricher(ConfigTimeline.of(list));
    }

    public FlowEnricher(ConfigTimeline timeline) {
        this.evaluator = FlowEvaluator.over(timeline);
    }

    /** Fills what the configuration says into the record (in place) and returns it. */
    public FlowRecord enrich(FlowRecord r) {
        Verdict v = evaluator.evaluate(r, null, verdict);
        if (r.vpcId == null) {
            r.vpcId = v.vpcId();
        }
        if (r.subnetId == null) {
            r.subnetId = v.subnetId();
        }
        if (r.flowDirection == FlowRecord.DIRECTION_UNKNOWN) {
            r.flowDirection = v.direction();
        }
        r.peerClass = peerClass(v.peerClass());
        r.response = v.response();
        if (r.action == FlowRecord.ACTION_REJECT) {
            r.attribution = v.attribution();
        }
        NetworkIndex index = evaluator.evaluatedIndex();
        if (index != null) {
            r.configSince = index.effectiveFromMillis();
            NetworkInterface eni = evaluator.evaluatedInterface(r.interfaceId);
            if (eni != null) {
                r.interfaceKind =
                        eni.requesterManaged() || !"interface".equals(eni.interfaceType())
                                ? FlowRecord.INTERFACE_MANAGED
                                : FlowRecord.INTERFACE_INSTANCE;
            }
        }
        return r;
    }

    static byte peerClass(Verdict.PeerClass c) {
        switch (c) {
            case SAME_VPC:
                return FlowRecord.PEER_SAME_VPC;
            case PEERED_VPC:
                return FlowRecord.PEER_PEERED_VPC;
            case AWS_SERVICE:
                return FlowRecord.PEER_AWS_SERVICE;
            case INTERNET:
                return FlowRecord.PEER_INTERNET;
            case OTHER_PRIVATE:
                return FlowRecord.PEER_OTHER_PRIVATE;
            default:
                return FlowRecord.PEER_UNKNOWN;
        }
    }
}
