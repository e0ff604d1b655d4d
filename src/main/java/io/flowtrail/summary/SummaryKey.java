package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import java.util.Objects;

/**
 * The grouping of a {@code flow_summary} row inside its window: account, VPC, subnet, interface,
 * direction, action and protocol. Strings come interned from the parser, so equality is cheap.
 */
public class SummaryKey {
    public String accountId;
    public String vpcId;
    public String subnetId;
    public String interfaceId;
    public byte direction;
    public byte action;
    public int protocol;

    public SummaryKey() {}

    public static SummaryKey of(FlowRecord r) {
        SummaryKey k = new SummaryKey();
        k.accountId = r.accountId;
        k.vpcId = r.vpcId;
        k.subnetId = r.subnetId;
        k.interfaceId = r.interfaceId;
        k.direction = r.flowDirection;
        k.action = r.action;
        k.protocol = r.protocol;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SummaryKey)) {
            return false;
        }
        SummaryKey k = (SummaryKey) o;
        return direction == k.direction
                && action == k.action
                && protocol == k.protocol
                && Objects.equals(interfaceId, k.interfaceId)
                && Objects.equals(accountId, k.accountId)
                && Objects.equals(vpcId, k.vpcId)
                && Objects.equals(subnetId, k.subnetId);
    }

    @Override
    public int hashCode() {
        int h = Objects.hashCode(interfaceId);
        h = 31 * h + Objects.hashCode(accountId);
        h = 31 * h + Objects.hashCode(vpcId);
        h = 31 * h + Objects.hashCode(subnetId);
        h = 31 * h + direction;
        h = 31 * h + action;
        return 31 * h + protocol;
    }
}
