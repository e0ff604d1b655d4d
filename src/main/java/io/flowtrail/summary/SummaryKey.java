package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
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

    /** Which table the row belongs to: {@link #FLOW_SUMMARY} or {@link #REJECTS}. */
    public byte table;

    /** Rejects rows: the destination port (-1 when absent). */
    public int dstPort = -1;

    /** Rejects rows: the rule behind the REJECT. */
    public String attribution;

    public static final byte FLOW_SUMMARY = 0;
    public static final byte REJECTS = 1;

    public SummaryKey() {}

    /** Points this key at a record's grouping, for a lookup that allocates nothing. */
    public SummaryKey set(FlowRecord r, long windowStart) {
        this.windowStart = windowStart;
        table = FLOW_SUMMARY;
        dstPort = -1;
        attribution = null;
        accountId = r.accountId;
        vpcId = r.vpcId;
        subnetId = r.subnetId;
        interfaceId = r.interfaceId;
        direction = r.flowDirection;
        action = r.action;
        protocol = r.protocol;
        return this;
    }

    /** Points this key at a REJECT's {@code rejects} row. */
    public SummaryKey setReject(FlowRecord r, long windowStart) {
        set(r, windowStart);
        table = REJECTS;
        dstPort = r.dstPort;
        attribution = attributionOf(r);
        return this;
    }

    /**
     * The rule behind a REJECT: the configuration join's attribution; without configuration, {@code
     * bpa} for VPC Block Public Access ({@code reject-reason}), else {@code unattributed}.
     */
    public static String attributionOf(FlowRecord r) {
        if (r.attribution != null) {
            return r.attribution;
        }
        return "BPA".equalsIgnoreCase(r.rejectReason) ? "bpa" : "unattributed";
    }

    public SummaryKey copy() {
        SummaryKey k = new SummaryKey();
        k.windowStart = windowStart;
        k.table = table;
        k.dstPort = dstPort;
        k.attribution = attribution;
        k.accountId = accountId;
        k.vpcId = vpcId;
        k.subnetId = subnetId;
        k.interfaceId = interfaceId;
        k.direction = direction;
        k.action = action;
        k.protocol = protocol;
        return k;
    }

    /**
     * The shuffle and window key of partial rows: the window's number (modulo 2^24) in the top 24
     * bits, so that a batch replay's sorted windows come out in time order (one Parquet partition
     * after the other), and 40 bits of {@link #hash64()} below. A fixed-length key sorts far faster
     * than the strings; keys that share it stay apart ({@link PartialSummary#add}).
     */
    public long shuffleKey(long windowMillis) {
        long window = Math.floorDiv(windowStart, windowMillis) & 0xFF_FFFFL;
        return window << 40 | hash64() >>> 24;
    }

    /** A 64-bit hash of every field. */
    public long hash64() {
        long h = IpAddresses.mix64(windowStart);
        h = IpAddresses.mix64(h ^ Objects.hashCode(interfaceId));
        h = IpAddresses.mix64(h ^ Objects.hashCode(accountId));
        h = IpAddresses.mix64(h ^ Objects.hashCode(vpcId));
        h = IpAddresses.mix64(h ^ Objects.hashCode(subnetId));
        h = IpAddresses.mix64(h ^ Objects.hashCode(attribution));
        long small =
                ((long) direction & 0xff)
                        | ((long) action & 0xff) << 8
                        | ((long) table & 0xff) << 16
                        | ((long) protocol & 0xffff) << 24
                        | ((long) dstPort & 0xffffffL) << 40;
        return IpAddresses.mix64(h ^ small);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SummaryKey)) {
            return false;
        }
        SummaryKey k = (SummaryKey) o;
        return windowStart == k.windowStart
                && table == k.table
                && dstPort == k.dstPort
                && Objects.equals(attribution, k.attribution)
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
        h = 31 * h + protocol;
        h = 31 * h + table;
        h = 31 * h + dstPort;
        return 31 * h + Objects.hashCode(attribution);
    }
}
