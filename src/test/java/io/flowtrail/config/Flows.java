package io.flowtrail.config;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddress;
import java.time.Instant;

/**
 * Flow records for tests, written the way a person says them: {@code flow().from(CLIENT).to(A,
 * 22).syn().rejected()}. Defaults: TCP on {@code eni-A}, source port 51000, start at {@link #T0},
 * accepted, no tcp-flags, no flow-direction.
 */
final class Flows {
    /** 2026-11-02T10:00:00Z, the sample hour's start. */
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    private final FlowRecord r = new FlowRecord();

    private Flows() {
        r.version = 5;
        r.interfaceId = TestNetwork.ENI_A;
        r.protocol = 6;
        r.srcPort = 51000;
        r.start = T0.getEpochSecond();
        r.end = r.start + 60;
        r.action = FlowRecord.ACTION_ACCEPT;
        r.logStatus = FlowRecord.STATUS_OK;
    }

    static Flows flow() {
        return new Flows();
    }

    Flows on(String interfaceId) {
        r.interfaceId = interfaceId;
        return this;
    }

    Flows from(String address) {
        IpAddress a = IpAddress.parse(address);
        r.srcFamily = a.family();
        r.srcHi = a.hi();
        r.srcLo = a.lo();
        return this;
    }

    Flows from(String address, int port) {
        r.srcPort = port;
        return from(address);
    }

    Flows to(String address) {
        IpAddress a = IpAddress.parse(address);
        r.dstFamily = a.family();
        r.dstHi = a.hi();
        r.dstLo = a.lo();
        return this;
    }

    Flows to(String address, int port) {
        r.dstPort = port;
        return to(address);
    }

    /** {@code pkt-srcaddr} and {@code pkt-dstaddr}. */
    Flows packet(String src, String dst) {
        IpAddress s = IpAddress.parse(src);
        IpAddress d = IpAddress.parse(dst);
        r.pktSrcFamily = s.family();
        r.pktSrcHi = s.hi();
        r.pktSrcLo = s.lo();
        r.pktDstFamily = d.family();
        r.pktDstHi = d.hi();
        r.pktDstLo = d.lo();
        return this;
    }

    Flows udp() {
        r.protocol = 17;
        return this;
    }

    Flows icmp() {
        r.protocol = 1;
        r.srcPort = 0;
        r.dstPort = 0;
        return this;
    }

    Flows icmpv6() {
        r.protocol = 58;
        r.srcPort = 0;
        r.dstPort = 0;
        return this;
    }

    Flows protocol(int protocol) {
        r.protocol = protocol;
        return this;
    }

    Flows flags(int tcpFlags) {
        r.tcpFlags = tcpFlags;
        return this;
    }

    /** tcp-flags 2: a connection attempt. */
    Flows syn() {
        return flags(2);
    }

    /** tcp-flags 18: the server's answer. */
    Flows synAck() {
        return flags(18);
    }

    Flows ingress() {
        r.flowDirection = FlowRecord.DIRECTION_INGRESS;
        return this;
    }

    Flows egress() {
        r.flowDirection = FlowRecord.DIRECTION_EGRESS;
        return this;
    }

    Flows accepted() {
        r.action = FlowRecord.ACTION_ACCEPT;
        return this;
    }

    Flows rejected() {
        r.action = FlowRecord.ACTION_REJECT;
        return this;
    }

    Flows rejectReason(String reason) {
        r.rejectReason = reason;
        return this;
    }

    Flows at(Instant start) {
        r.start = start.getEpochSecond();
        r.end = r.start + 60;
        return this;
    }

    Flows srcAwsService(String service) {
        r.pktSrcAwsService = service;
        return this;
    }

    Flows dstAwsService(String service) {
        r.pktDstAwsService = service;
        return this;
    }

    Flows vpc(String vpcId, String subnetId) {
        r.vpcId = vpcId;
        r.subnetId = subnetId;
        return this;
    }

    FlowRecord record() {
        return r;
    }
}
