package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import java.util.Objects;

/**
 * The grouping of a {@code flow_summary} row: window, account, VPC, subnet, interface, direction,
 * action and protocol. Strings come interned from the parser, so equality is cheap.
 */
public class SummaryKey {
    public String accountId;
    public String vpcId;
    public String subnetId;
    public String interfaceId;
    public byte direction;
    public byte action;
    public int protocol;

    /** Start of the window, epoch milliseconds. */
    public long windowStart;

    public SummaryKey() {}

    /** Points this key at a record's grouping, for a lookup that allocates nothing. */
    public SummaryKey set(FlowRecord r, long windowStart) {
        this.windowStart = windowStart;
        accountId = r.accountId;
        vpcId = r.vpcId;
        subnetId = r.subnetId;
        interfaceId = r.interfaceId;
        direction = r.flowDirection;
        action = r.action;
        protocol = r.protocol;
        return this;
    }

    public SummaryKey copy() {
        SummaryKey k = new SummaryKey();
        k.windowStart = windowStart;
        k.accountId = accountId;
        k.vpcId = vpcId;
        k.subnetId = subnetId;
        k.interfaceId = interfaceId;
        k.direction = direction;
        k.action = action;
        k.protocol = protocol;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SummaryKey)) {
            return false;
        }
        SummaryKey k = (SummaryKey) o;
        return windowStart == k.windowStart
                && direction == k.direction
                && action == k.action
                && protocol == k.protocol
                && Objects.equals(interfaceId, k.interfaceId)
                && Objects.equals(accountId, k.accountId)
                && Objects.equals(vpcId, k.vpcId)
                && Objects.equals(subnetId, k.subnetId);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(windowStart);
        h = 31 * h + Objects.hashCode(interfaceId);
        h = 31 * h + Objects.hashCode(accountId);
        h = 31 * h + Objects.hashCode(vpcId);
        h = 31 * h + Objects.hashCode(subnetId);
        h = 31 * h + direction;
        h = 31 * h + action;
        return 31 * h + protocol;
    }
}
