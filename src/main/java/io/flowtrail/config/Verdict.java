package io.flowtrail.config;

import io.flowtrail.model.FlowRecord;
import java.util.List;

/**
 * What the configuration in force says about one flow record, and which rule says it.
 *
 * <p>Mutable and reused: {@link FlowEvaluator#evaluate(FlowRecord)} fills the same instance on
 * every call (so the per-record path allocates nothing); {@link #copy()} keeps one. Every string it
 * holds is shared (labels are built once, when the index is built).
 */
public final class Verdict {
    /** What the configuration says. */
    public enum Decision {
        ALLOW,
        DENY,
        /**
         * The interface is not in the configuration, no snapshot is in force, or too little is
         * known.
         */
        UNKNOWN
    }

    /** Where the other end of the flow is. */
    public enum PeerClass {
        SAME_VPC("same-vpc"),
        PEERED_VPC("peered-vpc"),
        /** The flow log's {@code pkt-*-aws-service}, an AWS prefix-list block or a VPC endpoint. */
        AWS_SERVICE("aws-service"),
        INTERNET("internet"),
        /**
         * A private address outside the VPC and its peerings (VPN, transit gateway, on premises).
         */
        OTHER_PRIVATE("other-private"),
        UNKNOWN("unknown");

        private final String label;

        PeerClass(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A REJECT the configuration in force does not explain, or nothing to evaluate against. */
    public static final String UNATTRIBUTED = "unattributed";

    /** A REJECT with {@code reject-reason} {@code BPA}: VPC Block Public Access. */
    public static final String BPA = "bpa";

    /** Denied: no rule of the interface's security groups allows the flow. */
    public static final String SG_NO_MATCHING_RULE = "sg:no-matching-rule";

    /** Allowed as the response of an allowed connection: security groups are stateful. */
    public static final String SG_STATEFUL_RESPONSE = "sg:stateful-response";

    /** Allowed; the interface has no security groups (a NAT gateway's) and no ACL applied. */
    public static final String SG_NONE = "sg:none";

    Decision decision = Decision.UNKNOWN;
    String attribution = UNATTRIBUTED;
    byte direction = FlowRecord.DIRECTION_UNKNOWN;
    String vpcId;
    String subnetId;
    List<String> securityGroupIds = List.of();
    PeerClass peerClass = PeerClass.UNKNOWN;
    boolean response;

    public Verdict() {}

    void reset() {
        decision = Decision.UNKNOWN;
        attribution = UNATTRIBUTED;
        direction = FlowRecord.DIRECTION_UNKNOWN;
        vpcId = null;
        subnetId = null;
        securityGroupIds = List.of();
        peerClass = PeerClass.UNKNOWN;
        response = false;
    }

    public Decision decision() {
        return decision;
    }

    /**
     * The rule behind the decision: for a deny the deciding network-ACL entry ({@code
     * nacl:acl-0abc#100}) or {@link #SG_NO_MATCHING_RULE}; for an allow the first matching
     * security-group rule ({@code sg:sg-0abc/ingress/2}, {@code sg:sgr-0abc}) or {@link
     * #SG_STATEFUL_RESPONSE}. A REJECT record that the configuration says should have passed, and
     * any record evaluated against nothing, is {@link #UNATTRIBUTED}; a REJECT with {@code
     * reject-reason} BPA is {@link #BPA}.
     */
    public String attribution() {
        return attribution;
    }

    /** {@link FlowRecord#DIRECTION_INGRESS}, {@link FlowRecord#DIRECTION_EGRESS} or unknown. */
    public byte direction() {
        return direction;
    }

    /** {@code ingress}, {@code egress} or {@code unknown}. */
    public String directionName() {
        return FlowRecord.directionName(direction);
    }

    /** The interface's VPC from the configuration, else the record's {@code vpc-id}. */
    public String vpcId() {
        return vpcId;
    }

    /** The interface's subnet from the configuration, else the record's {@code subnet-id}. */
    public String subnetId() {
        return subnetId;
    }

    /** The interface's security groups (empty when the interface is unknown). */
    public List<String> securityGroupIds() {
        return securityGroupIds;
    }

    public PeerClass peerClass() {
        return peerClass;
    }

    /** The flow was read as response traffic of a connection (see {@link FlowEvaluator}). */
    public boolean response() {
        return response;
    }

    /** An independent copy. */
    public Verdict copy() {
        Verdict v = new Verdict();
        v.decision = decision;
        v.attribution = attribution;
        v.direction = direction;
        v.vpcId = vpcId;
        v.subnetId = subnetId;
        v.securityGroupIds = securityGroupIds;
        v.peerClass = peerClass;
        v.response = response;
        return v;
    }

    @Override
    public String toString() {
        return decision
                + " "
                + attribution
                + " "
                + directionName()
                + " "
                + peerClass.label()
                + (response ? " response" : "")
                + " vpc "
                + vpcId
                + " subnet "
                + subnetId
                + " groups "
                + securityGroupIds;
    }
}
