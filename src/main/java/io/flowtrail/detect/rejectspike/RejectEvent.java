package io.flowtrail.detect.rejectspike;

import io.flowtrail.model.FlowRecord;

/**
 * A rejected flow as the spike detector needs it, for one of the keys it counts towards (its
 * interface, subnet, or VPC). Smaller than a {@link FlowRecord} across the shuffle.
 */
public class RejectEvent {
    public static final byte INTERFACE = 0;
    public static final byte SUBNET = 1;
    public static final byte VPC = 2;

    public String key;
    public byte level;
    public long startMillis;
    public byte srcFamily;
    public long srcHi;
    public long srcLo;
    public int dstPort;
    public int protocol;
    public long packets;
    public String interfaceId;
    public String accountId;
    public String region;
    public String attribution;
    public long configSince = -1L;

    public RejectEvent() {}

    static RejectEvent of(FlowRecord r, String key, byte level) {
        RejectEvent e = new RejectEvent();
        e.key = key;
        e.level = level;
        e.startMillis = r.startMillis();
        e.srcFamily = r.srcFamily;
        e.srcHi = r.srcHi;
        e.srcLo = r.srcLo;
        e.dstPort = r.dstPort;
        e.protocol = r.protocol;
        e.packets = Math.max(0, r.packets);
        e.interfaceId = r.interfaceId;
        e.accountId = r.accountId;
        e.region = r.region;
        e.attribution = r.attribution;
        e.configSince = r.configSince;
        return e;
    }
}
