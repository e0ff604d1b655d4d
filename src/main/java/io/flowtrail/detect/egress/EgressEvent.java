package io.flowtrail.detect.egress;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;

/**
 * Accepted traffic leaving an interface for a destination outside the private address space, as the
 * egress detector needs it. When the flow was translated (a NAT gateway's records) the packet's own
 * destination ({@code pkt-dstaddr}) is used.
 */
public class EgressEvent {
    public String interfaceId;
    public String accountId;
    public String region;
    public String vpcId;
    public String subnetId;
    public long startMillis;
    public byte dstFamily;
    public long dstHi;
    public long dstLo;
    public int dstPort;
    public int protocol;
    public long bytes;
    public String dstAwsService;
    public int trafficPath = -1;

    /**
     * The gateway endpoint the flow bypassed (see {@link FlowRecord#bypassedEndpoint}), or null.
     */
    public String bypassedEndpoint;

    /** The subnet has no route to the destination (see {@link FlowRecord#noInternetRoute}). */
    public boolean noInternetRoute;

    public EgressEvent() {}

    /**
     * The egress event of a record, or null when it is not accepted egress to an external
     * destination from an instance's interface (managed interfaces such as NAT gateways carry
     * others' traffic, which their sources' own records already show; responses are not egress of
     * the host's own making).
     */
    public static EgressEvent of(FlowRecord r) {
        if (!r.isTraffic()
                || r.action != FlowRecord.ACTION_ACCEPT
                || r.interfaceId == null
                || r.interfaceKind == FlowRecord.INTERFACE_MANAGED
                || r.response) {
            return null;
        }
        byte family = r.pktDstFamily != IpAddresses.NONE ? r.pktDstFamily : r.dstFamily;
        long hi = r.pktDstFamily != IpAddresses.NONE ? r.pktDstHi : r.dstHi;
        long lo = r.pktDstFamily != IpAddresses.NONE ? r.pktDstLo : r.dstLo;
        if (family == IpAddresses.NONE || !AddressClass.isExternal(family, hi, lo)) {
            return null;
        }
        if ((r.peerClass == FlowRecord.PEER_AWS_SERVICE && r.bypassedEndpoint == null)
                || r.peerClass == FlowRecord.PEER_SAME_VPC
                || r.peerClass == FlowRecord.PEER_PEERED_VPC
                || r.peerClass == FlowRecord.PEER_OTHER_PRIVATE) {
            return null;
        }
        boolean egress =
                r.flowDirection == FlowRecord.DIRECTION_EGRESS
                        || (r.flowDirection == FlowRecord.DIRECTION_UNKNOWN
                                && r.srcFamily != IpAddresses.NONE
                                && !AddressClass.isExternal(r.srcFamily, r.srcHi, r.srcLo));
        if (!egress || (r.srcPort >= 0 && r.srcPort < 1024 && r.dstPort >= 1024)) {
            return null;
        }
        EgressEvent e = new EgressEvent();
        e.interfaceId = r.interfaceId;
        e.accountId = r.accountId;
        e.region = r.region;
        e.vpcId = r.vpcId;
        e.subnetId = r.subnetId;
        e.startMillis = r.startMillis();
        e.dstFamily = family;
        e.dstHi = hi;
        e.dstLo = lo;
        e.dstPort = r.dstPort;
        e.protocol = r.protocol;
        e.bytes = Math.max(0, r.bytes);
        e.dstAwsService = r.pktDstAwsService;
        e.trafficPath = r.trafficPath;
        e.bypassedEndpoint = r.bypassedEndpoint;
        e.noInternetRoute = r.noInternetRoute;
        return e;
    }
}
