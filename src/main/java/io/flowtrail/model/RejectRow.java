package io.flowtrail.model;

import java.util.Objects;

/**
 * One row of the {@code rejects} table: the rejected flows of one interface, direction, protocol,
 * destination port and rule in one window.
 */
public class RejectRow {
    public long windowStart;
    public long windowEnd;
    public String accountId;
    public String vpcId;
    public String subnetId;
    public String interfaceId;
    public String direction;
    public int protocol;
    public int dstPort;

    /**
     * {@code nacl:acl-0abc#100}, {@code sg:no-matching-rule}, {@code bpa}, {@code unattributed},
     * ...
     */
    public String attributedTo;

    public long flows;
    public long packets;
    public long distinctSrcAddrs;

    public RejectRow() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RejectRow)) {
            return false;
        }
        RejectRow r = (RejectRow) o;
        return windowStart == r.windowStart
                && windowEnd == r.windowEnd
                && protocol == r.protocol
                && dstPort == r.dstPort
                && flows == r.flows
                && packets == r.packets
                && distinctSrcAddrs == r.distinctSrcAddrs
                && Objects.equals(accountId, r.accountId)
                && Objects.equals(vpcId, r.vpcId)
                && Objects.equals(subnetId, r.subnetId)
                && Objects.equals(interfaceId, r.interfaceId)
                && Objects.equals(direction, r.direction)
                && Objects.equals(attributedTo, r.attributedTo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, interfaceId, dstPort, attributedTo);
    }
}
