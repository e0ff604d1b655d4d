package io.flowtrail.model;

import java.util.Objects;

/**
 * One row of the {@code flow_summary} table: the traffic of one interface, direction, action and
 * protocol in one window. Times are epoch milliseconds (UTC instants in Parquet).
 */
public class FlowSummaryRow {
    public long windowStart;
    public long windowEnd;
    public String accountId;
    public String vpcId;
    public String subnetId;
    public String interfaceId;

    /** {@code ingress}, {@code egress} or {@code unknown}. */
    public String direction;

    /** {@code ACCEPT}, {@code REJECT}, or null when the format has no action. */
    public String action;

    /** IANA protocol number, or -1 when absent. */
    public int protocol;

    public long flows;
    public long packets;
    public long bytes;
    public long distinctSrcAddrs;
    public long distinctDstAddrs;
    public long distinctDstPorts;

    public FlowSummaryRow() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowSummaryRow)) {
            return false;
        }
        FlowSummaryRow r = (FlowSummaryRow) o;
        return windowStart == r.windowStart
                && windowEnd == r.windowEnd
                && protocol == r.protocol
                && flows == r.flows
                && packets == r.packets
                && bytes == r.bytes
                && distinctSrcAddrs == r.distinctSrcAddrs
                && distinctDstAddrs == r.distinctDstAddrs
                && distinctDstPorts == r.distinctDstPorts
                && Objects.equals(accountId, r.accountId)
                && Objects.equals(vpcId, r.vpcId)
                && Objects.equals(subnetId, r.subnetId)
                && Objects.equals(interfaceId, r.interfaceId)
                && Objects.equals(direction, r.direction)
                && Objects.equals(action, r.action);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, interfaceId, direction, action, protocol);
    }

    @Override
    public String toString() {
        return "FlowSummaryRow{"
                + windowStart
                + " "
                + interfaceId
                + " "
                + direction
                + " "
                + action
                + " p"
                + protocol
                + " flows="
                + flows
                + " packets="
                + packets
                + " bytes="
                + bytes
                + " src="
                + distinctSrcAddrs
                + " dst="
                + distinctDstAddrs
                + " ports="
                + distinctDstPorts
                + "}";
    }
}
