package io.flowtrail.generate;

/**
 * One flow-log record as the generator builds it, all primitives: filled by the traffic and
 * incident code, formatted by {@link FlowLogWriter}. One instance is reused for every record.
 */
final class Flow {
    static final byte OK = 0;
    static final byte NODATA = 1;
    static final byte SKIPDATA = 2;

    static final byte NO_SERVICE = 0;
    static final byte AMAZON = 1;
    static final byte S3 = 2;

    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    Topology.Eni eni;
    byte status;
    byte family;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;

    /** The packets' own addresses when a NAT gateway translated them (else srcaddr/dstaddr). */
    boolean translated;

    long pktSrcHi;
    long pktSrcLo;
    long pktDstHi;
    long pktDstLo;
    int srcPort;
    int dstPort;
    int protocol;
    long packets;
    long bytes;
    long start;
    long end;
    boolean reject;
    int tcpFlags;
    boolean egress;

    /** {@code traffic-path} of egress records; -1 for none. */
    int trafficPath = -1;

    byte srcService;
    byte dstService;

    /** Part of a labelled incident (counted apart from the benign records). */
    boolean incident;

    void clear() {
        status = OK;
        translated = false;
        srcHi = srcLo = dstHi = dstLo = 0;
        pktSrcHi = pktSrcLo = pktDstHi = pktDstLo = 0;
        srcPort = dstPort = 0;
        protocol = TCP;
        packets = bytes = 0;
        reject = false;
        tcpFlags = 0;
        egress = false;
        trafficPath = -1;
        srcService = dstService = NO_SERVICE;
        incident = false;
    }
}
