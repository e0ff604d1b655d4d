package io.flowtrail.config;

import io.flowtrail.config.NetworkIndex.Eni;
import io.flowtrail.config.NetworkIndex.NaclRule;
import io.flowtrail.config.NetworkIndex.PeerLink;
import io.flowtrail.config.NetworkIndex.SgRule;
import io.flowtrail.config.NetworkIndex.Space;
import io.flowtrail.config.Verdict.Decision;
import io.flowtrail.config.Verdict.PeerClass;
import io.flowtrail.model.Cidr;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.model.NetworkInterface;
import io.flowtrail.model.Protocols;
import io.flowtrail.model.SecurityGroup;
import io.flowtrail.model.Subnet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates flow records against the security groups and network ACLs in force, with the semantics
 * of FORMATS.md §4, and names the rule behind each decision.
 *
 * <p><b>Where.</b> A record is evaluated at its own interface ({@code interface-id}) and only
 * there: an ingress record is the packets arriving at the interface, so the sender's controls had
 * already let them out. Direction is the record's {@code flow-direction} when present, else from
 * the interface's addresses: the source is one of them, egress; the destination, ingress; neither,
 * unknown (and the verdict is UNKNOWN). The peer is the other end: the source of an ingress record,
 * the destination of an egress one, taken from {@code pkt-srcaddr}/{@code pkt-dstaddr} when the
 * record has them (the addresses the packets carried, which are what rules match), else from {@code
 * srcaddr}/{@code dstaddr}.
 *
 * <p><b>Order.</b> Ingress from outside the interface's subnet: the subnet's network ACL inbound,
 * then the security groups inbound. Egress to outside the subnet: security groups outbound, then
 * the ACL outbound. Within the subnet (the peer is in one of the subnet's blocks) network ACLs do
 * not apply; only security groups decide.
 *
 * <p><b>Security groups</b> are allow-only: the rules of the direction of all the interface's
 * groups form one set and any matching rule allows. A rule matches on protocol ({@code -1} all),
 * destination port for TCP/UDP, ICMP type and code, and the peer: an IPv4 or IPv6 block, a prefix
 * list's blocks, or a referenced group, which matches the private IPv4 and IPv6 addresses of the
 * interfaces carrying that group, in the same VPC or in a VPC peered with it by an active
 * connection (whether AWS also matches IPv6 addresses of members is not documented clearly; this
 * matches them). A public or Elastic IP never matches a reference. An interface with no groups (a
 * NAT gateway's) is not filtered by security groups. When none of the known rules matches but one
 * of the interface's groups is not in the snapshot, the decision is UNKNOWN, not a deny.
 *
 * <p><b>Network ACLs</b>: entries of the direction and the packet's address family only (IPv4
 * entries never match IPv6), lowest rule number first, the first match decides, allow or deny; the
 * {@code *} entries 32767 (IPv4) and 32768 (IPv6) deny what nothing else matched (added when a
 * document omits them). They are stateless: responses are evaluated like anything else, on their
 * destination port. A subnet whose ACL is not in the snapshot is not filtered.
 *
 * <p><b>ICMP.</b> Flow records carry no ICMP type or code (the ports are 0). Flowtrail reads every
 * ICMP flow as ping: a request is an echo request (type 8; ICMPv6 128), a response an echo reply
 * (type 0; ICMPv6 129), code 0. So a rule for all types ({@code -1}) matches every ICMP record, a
 * rule for type 8 matches requests, one for type 0 responses, and any other type (3 for path-MTU
 * discovery) matches none. The trade-off: a non-echo ICMP flow (destination unreachable, time
 * exceeded) that is allowed by a type-specific rule is read as denied.
 *
 * <p><b>Responses.</b> Security groups are stateful: response traffic of an allowed connection is
 * never denied by them, so a response is never blamed on a security group; only ACLs can deny it. A
 * record is read as a response by, in this order:
 *
 * <ol>
 *   <li>TCP with {@code tcp-flags}: SYN-ACK seen (18, or 19 with FIN) is a response (this side
 *       answered a connection); SYN without ACK (2, or 3 with FIN) is a request. Flags without SYN
 *       (0, FIN, RST) are packets of an already open connection: they say nothing about which side
 *       opened it, so the ports decide.
 *   <li>TCP and UDP by ports: a response goes from a service port to an ephemeral port. It is a
 *       response when the destination port is 1024 or above (the ephemeral range 1024-65535 that
 *       AWS recommends allowing: it covers Linux 32768-60999, Windows 49152-65535 and the
 *       1024-65535 of NAT gateways, load balancers and Lambda), the source port is a service port
 *       of the sender (below 1024, or a port one of the sender's security groups opens inbound with
 *       a range of at most 1024 ports: the sender serves on it), and the destination port is not
 *       such a served port of the receiver. The sender or receiver that is not this interface is
 *       known only when its address is an interface of the same or a peered VPC. Trade-off:
 *       requests from privileged source ports (below 1024) to a high port are read as responses;
 *       responses from an unknown server's high service port (8080 on the internet) to this
 *       interface are read as requests, so an inbound ACL deny is still found (ACLs come first) but
 *       a missing security-group rule may be blamed for them. The narrower 32768-65535 range would
 *       miss NAT-gateway, load-balancer and Windows-2003 clients.
 *   <li>ICMP and protocols without ports: an arriving record is a request (someone pinged this
 *       interface, the usual case of an ingress REJECT); a leaving record is a response when the
 *       interface's security groups admit the reverse request (an echo request from the peer), i.e.
 *       the interface is answering a ping it let in; otherwise it is a request (this interface
 *       pings out). Inbound allow rules are informative because they are narrow; outbound rules
 *       mostly allow everything, so the same test on arriving records would say nothing.
 * </ol>
 *
 * <p><b>Attribution</b> ({@link Verdict#attribution()}): a REJECT with {@code reject-reason} BPA is
 * {@code bpa}. Otherwise the decision's rule: a deny names the deciding ACL entry {@code
 * nacl:acl-0abc#100} or {@code sg:no-matching-rule}; an allow names the first matching
 * security-group rule {@code sg:sg-0abc/ingress/2} (or its {@code sgr-} id), {@code
 * sg:stateful-response} for a response, or, for an interface without groups, the allowing ACL
 * entry. A REJECT that the configuration in force allows is {@code unattributed}: the configuration
 * drifted from the snapshot, or something outside it rejected (packets of a connection already
 * closed, connection-tracking limits). Unknown interfaces, records before the first snapshot and
 * unknown directions are {@code unattributed} with decision UNKNOWN.
 *
 * <p><b>Not modelled</b>: connection tracking over time (a connection tracked before a rule was
 * removed keeps working, so its ACCEPT records may evaluate to DENY), untracked flows, Block Public
 * Access settings, traffic that is never logged or filtered (Amazon DNS, instance metadata),
 * references across transit gateways, routing (a missing route is not a reject).
 *
 * <p><b>Cost.</b> The per-record path allocates nothing and builds no strings when no {@link
 * Explanation} is asked for: labels are the index's shared strings, and the {@link Verdict} is
 * reused. Not thread-safe: one evaluator per thread.
 */
public final class FlowEvaluator {
    /** Inbound port ranges at most this wide name ports an interface serves. */
    static final int NARROW_RANGE = 1024;

    static final int FIRST_EPHEMERAL_PORT = 1024;

    private static final int TCP_SYN = 2;
    private static final int TCP_SYN_ACK = 18;

    private static final int SG_ALLOW = 0;
    private static final int SG_DENY = 1;
    private static final int SG_UNKNOWN = 2;
    private static final int SG_NOT_APPLICABLE = 3;
    private static final int SG_RESPONSE = 4;

    private static final CidrSet PRIVATE_RANGES =
            new CidrSet(
                    List.of(
                            Cidr.parse("10.0.0.0/8"),
                            Cidr.parse("172.16.0.0/12"),
                            Cidr.parse("192.168.0.0/16"),
                            Cidr.parse("100.64.0.0/10"),
                            Cidr.parse("169.254.0.0/16"),
                            Cidr.parse("127.0.0.0/8"),
                            Cidr.parse("fc00::/7"),
                            Cidr.parse("fe80::/10"),
                            Cidr.parse("::1/128")));

    private final NetworkIndex fixed;
    private final ConfigTimeline timeline;
    private final Verdict verdict = new Verdict();

    // The flow being evaluated.
    private NetworkIndex index;
    private byte peerFamily;
    private long peerHi;
    private long peerLo;
    private Space space;
    private Eni peerEni;
    private boolean peerLooked;
    private SgRule matched;

    /**
     * The last interface looked up: an interface's records tend to come together, and the parser
     * hands out one string instance per value (per file), so a run of records costs one lookup.
     */
    private NetworkIndex lastIndex;

    private String lastInterfaceId;
    private Eni lastEni;

    /** Evaluates every record against one snapshot, whatever the record's time. */
    public FlowEvaluator(NetworkIndex index) {
        this.fixed = index;
        this.timeline = null;
    }

    private FlowEvaluator(ConfigTimeline timeline) {
        this.fixed = null;
        this.timeline = timeline;
    }

    /** Evaluates each record against the snapshot in force at its {@code start}. */
    public static FlowEvaluator over(ConfigTimeline timeline) {
        return new FlowEvaluator(timeline);
    }

    /** Evaluates the record; the result is reused by the next call. */
    public Verdict evaluate(FlowRecord r) {
        return evaluate(r, null, verdict);
    }

    /** Evaluates the record and explains it into {@code trace}; the result is reused. */
    public Verdict evaluate(FlowRecord r, Explanation trace) {
        return evaluate(r, trace, verdict);
    }

    /** Evaluates the record into {@code into}, explaining it into {@code trace} unless null. */
    public Verdict evaluate(FlowRecord r, Explanation trace, Verdict into) {
        Verdict v = into;
        v.reset();
        boolean bpa =
                r.action == FlowRecord.ACTION_REJECT && "BPA".equalsIgnoreCase(r.rejectReason);
        if (trace != null) {
            traceFlow(r, trace);
        }
        index = timeline != null ? timeline.indexAt(timeOf(r)) : fixed;
        if (index == null) {
            v.direction = r.flowDirection;
            v.vpcId = r.vpcId;
            v.subnetId = r.subnetId;
            if (trace != null) {
                trace.add(
                        "No configuration snapshot is in force at "
                                + (r.start == FlowRecord.ABSENT
                                        ? "(no start time)"
                                        : Instant.ofEpochSecond(r.start))
                                + ": nothing to evaluate against.");
            }
            return finish(v, r, Decision.UNKNOWN, Verdict.UNATTRIBUTED, bpa, trace);
        }
        if (trace != null) {
            trace.add(
                    "Configuration: snapshot "
                            + index.source()
                            + ", in force from "
                            + ConfigSnapshot.timeText(index.effectiveFromMillis())
                            + ".");
        }
        Eni eni = eni(index, r.interfaceId);
        if (eni == null) {
            v.direction = r.flowDirection;
            v.vpcId = r.vpcId;
            v.subnetId = r.subnetId;
            if (trace != null) {
                trace.add("Interface " + r.interfaceId + " is not in the configuration snapshot.");
            }
            return finish(v, r, Decision.UNKNOWN, Verdict.UNATTRIBUTED, bpa, trace);
        }
        v.vpcId = eni.vpcId != null ? eni.vpcId : r.vpcId;
        v.subnetId = eni.subnetId != null ? eni.subnetId : r.subnetId;
        v.securityGroupIds = eni.groupIds;
        if (trace != null) {
            traceInterface(eni, trace);
        }

        byte direction = r.flowDirection;
        if (direction != FlowRecord.DIRECTION_INGRESS && direction != FlowRecord.DIRECTION_EGRESS) {
            direction = FlowRecord.DIRECTION_UNKNOWN;
            if (eni.hasAddress(r.srcFamily, r.srcHi, r.srcLo)
                    || eni.hasAddress(r.pktSrcFamily, r.pktSrcHi, r.pktSrcLo)) {
                direction = FlowRecord.DIRECTION_EGRESS;
            } else if (eni.hasAddress(r.dstFamily, r.dstHi, r.dstLo)
                    || eni.hasAddress(r.pktDstFamily, r.pktDstHi, r.pktDstLo)) {
                direction = FlowRecord.DIRECTION_INGRESS;
            }
            if (trace != null) {
                trace.add(
                        direction == FlowRecord.DIRECTION_UNKNOWN
                                ? "Direction unknown: the record has no flow-direction and neither"
                                        + " address is one of the interface's."
                                : "Direction "
                                        + FlowRecord.directionName(direction)
                                        + ": the record has no flow-direction, and the "
                                        + (direction == FlowRecord.DIRECTION_EGRESS
                                                ? "source"
                                                : "destination")
                                        + " is one of the interface's addresses.");
            }
        } else if (trace != null) {
            trace.add(
                    "Direction "
                            + FlowRecord.directionName(direction)
                            + " (the record's flow-direction).");
        }
        v.direction = direction;
        if (direction == FlowRecord.DIRECTION_UNKNOWN) {
            return finish(v, r, Decision.UNKNOWN, Verdict.UNATTRIBUTED, bpa, trace);
        }
        boolean ingress = direction == FlowRecord.DIRECTION_INGRESS;
        if (ingress) {
            boolean pkt = r.pktSrcFamily != IpAddresses.NONE;
            peerFamily = pkt ? r.pktSrcFamily : r.srcFamily;
            peerHi = pkt ? r.pktSrcHi : r.srcHi;
            peerLo = pkt ? r.pktSrcLo : r.srcLo;
        } else {
            boolean pkt = r.pktDstFamily != IpAddresses.NONE;
            peerFamily = pkt ? r.pktDstFamily : r.dstFamily;
            peerHi = pkt ? r.pktDstHi : r.dstHi;
            peerLo = pkt ? r.pktDstLo : r.dstLo;
        }
        if (peerFamily == IpAddresses.NONE) {
            if (trace != null) {
                trace.add(
                        "The record has no " + (ingress ? "source" : "destination") + " address.");
            }
            return finish(v, r, Decision.UNKNOWN, Verdict.UNATTRIBUTED, bpa, trace);
        }
        space = eni.space;
        peerEni = null;
        peerLooked = false;
        matched = null;
        v.peerClass = classify(r, ingress, trace);

        boolean sameSubnet = eni.inSubnet(peerFamily, peerHi, peerLo);
        boolean response = isResponse(r, eni, ingress, trace);
        v.response = response;
        int icmpType = icmpType(r.protocol, response);
        if (trace != null) {
            traceSubnet(eni, sameSubnet, trace);
        }

        Decision decision;
        String attribution;
        if (ingress) {
            NaclRule acl = sameSubnet ? null : acl(eni, false, r, icmpType, trace);
            if (acl != null && !acl.allow) {
                if (trace != null) {
                    trace.add(
                            "Security groups: not reached; the network ACL dropped the packets first.");
                }
                return finish(v, r, Decision.DENY, acl.attribution, bpa, trace);
            }
            int sg = response ? SG_RESPONSE : securityGroups(eni, false, r, icmpType, trace);
            decision = sgDecision(sg);
            attribution = sgAttribution(sg, acl);
        } else {
            int sg = response ? SG_RESPONSE : securityGroups(eni, true, r, icmpType, trace);
            if (sg == SG_DENY || sg == SG_UNKNOWN) {
                if (trace != null) {
                    trace.add(
                            "Network ACL: not reached; the security groups stopped the packets first.");
                }
                return finish(v, r, sgDecision(sg), sgAttribution(sg, null), bpa, trace);
            }
            NaclRule acl = sameSubnet ? null : acl(eni, true, r, icmpType, trace);
            if (acl != null && !acl.allow) {
                return finish(v, r, Decision.DENY, acl.attribution, bpa, trace);
            }
            decision = Decision.ALLOW;
            attribution = sgAttribution(sg, acl);
        }
        if (response && trace != null) {
            trace.add(
                    "Security groups: not evaluated. The packets are the response of a connection,"
                            + " which connection tracking lets through (security groups are stateful).");
        }
        return finish(v, r, decision, attribution, bpa, trace);
    }

    /** The interface {@code interfaceId} in {@code index}, or null: the last one is kept. */
    private Eni eni(NetworkIndex in, String interfaceId) {
        if (interfaceId == null) {
            return null;
        }
        if (in != lastIndex || interfaceId != lastInterfaceId) {
            lastIndex = in;
            lastInterfaceId = interfaceId;
            lastEni = in.eni(interfaceId);
        }
        return lastEni;
    }

    /**
     * The snapshot the last record was evaluated against (in force at its start), or null when none
     * was.
     */
    public NetworkIndex evaluatedIndex() {
        return index;
    }

    /**
     * The interface {@code interfaceId} as the last record's snapshot describes it, or null; the
     * record just evaluated does not look it up again.
     */
    public NetworkInterface evaluatedInterface(String interfaceId) {
        Eni e = index == null ? null : eni(index, interfaceId);
        return e == null ? null : e.model;
    }

    private static long timeOf(FlowRecord r) {
        return r.start == FlowRecord.ABSENT ? ConfigSnapshot.BEGINNING_OF_TIME : r.startMillis();
    }

    private static Decision sgDecision(int sg) {
        switch (sg) {
            case SG_DENY:
                return Decision.DENY;
            case SG_UNKNOWN:
                return Decision.UNKNOWN;
            default:
                return Decision.ALLOW;
        }
    }

    private String sgAttribution(int sg, NaclRule allowingAcl) {
        switch (sg) {
            case SG_ALLOW:
                return matched.attribution;
            case SG_DENY:
                return Verdict.SG_NO_MATCHING_RULE;
            case SG_RESPONSE:
                return Verdict.SG_STATEFUL_RESPONSE;
            case SG_NOT_APPLICABLE:
                return allowingAcl != null ? allowingAcl.attribution : Verdict.SG_NONE;
            default:
                return Verdict.UNATTRIBUTED;
        }
    }

    private static Verdict finish(
            Verdict v,
            FlowRecord r,
            Decision decision,
            String attribution,
            boolean bpa,
            Explanation trace) {
        v.decision = decision;
        if (bpa) {
            v.attribution = Verdict.BPA;
        } else if (decision == Decision.UNKNOWN
                || (r.action == FlowRecord.ACTION_REJECT && decision != Decision.DENY)) {
            v.attribution = Verdict.UNATTRIBUTED;
        } else {
            v.attribution = attribution;
        }
        if (trace != null) {
            traceVerdict(v, r, attribution, trace);
        }
        return v;
    }

    // ---- the peer

    private Eni peerEni() {
        if (!peerLooked) {
            peerLooked = true;
            Eni e = space.addresses.get(peerFamily, peerHi, peerLo);
            if (e == null) {
                for (PeerLink link : space.peerings) {
                    if (link.space != null
                            && Block.anyContains(link.cidrs, peerFamily, peerHi, peerLo)) {
                        e = link.space.addresses.get(peerFamily, peerHi, peerLo);
                        if (e != null) {
                            break;
                        }
                    }
                }
            }
            peerEni = e;
        }
        return peerEni;
    }

    private PeerClass classify(FlowRecord r, boolean ingress, Explanation trace) {
        PeerClass c = classify(r, ingress);
        if (trace != null) {
            String peer = IpAddresses.format(peerFamily, peerHi, peerLo);
            String why;
            switch (c) {
                case SAME_VPC:
                    why = "in the interface's VPC";
                    break;
                case PEERED_VPC:
                    why = "in a VPC peered with the interface's VPC";
                    break;
                case AWS_SERVICE:
                    String service = ingress ? r.pktSrcAwsService : r.pktDstAwsService;
                    why =
                            service != null
                                    ? "an AWS service address (" + service + " per the flow log)"
                                    : peerLooked && peerEni != null && peerEni.awsEndpoint
                                            ? "a VPC endpoint (" + peerEni.id + ")"
                                            : "an AWS service address (in an AWS prefix list)";
                    break;
                case OTHER_PRIVATE:
                    why =
                            "a private address outside the VPC and its peerings (VPN, transit gateway, on premises?)";
                    break;
                default:
                    why = "a public address outside the VPC and its peerings";
            }
            Eni e = peerEni();
            trace.add(
                    "Peer "
                            + peer
                            + " ("
                            + (ingress ? "source" : "destination")
                            + "): "
                            + c.label()
                            + ", "
                            + why
                            + (e != null
                                    ? "; it is interface " + e.id + " " + groupNames(e.groupIds)
                                    : "")
                            + ".");
        }
        return c;
    }

    private PeerClass classify(FlowRecord r, boolean ingress) {
        if ((ingress ? r.pktSrcAwsService : r.pktDstAwsService) != null) {
            return PeerClass.AWS_SERVICE;
        }
        if (space.contains(peerFamily, peerHi, peerLo)
                || (space.cidrs.length == 0 && peerEni() != null)) {
            Eni e = peerEni();
            return e != null && e.awsEndpoint ? PeerClass.AWS_SERVICE : PeerClass.SAME_VPC;
        }
        for (PeerLink link : space.peerings) {
            if (Block.anyContains(link.cidrs, peerFamily, peerHi, peerLo)) {
                return PeerClass.PEERED_VPC;
            }
        }
        if (index.awsServiceRanges().contains(peerFamily, peerHi, peerLo)) {
            return PeerClass.AWS_SERVICE;
        }
        return PRIVATE_RANGES.contains(peerFamily, peerHi, peerLo)
                ? PeerClass.OTHER_PRIVATE
                : PeerClass.INTERNET;
    }

    // ---- request or response

    private boolean isResponse(FlowRecord r, Eni eni, boolean ingress, Explanation trace) {
        int protocol = r.protocol;
        if (protocol == Protocols.TCP && r.tcpFlags >= 0) {
            int flags = r.tcpFlags;
            if ((flags & TCP_SYN_ACK) == TCP_SYN_ACK) {
                if (trace != null) {
                    trace.add(
                            "Read as a response: tcp-flags "
                                    + flags
                                    + " include SYN-ACK (18), so this side answered a connection.");
                }
                return true;
            }
            if ((flags & TCP_SYN) != 0) {
                if (trace != null) {
                    trace.add(
                            "Read as a new request: tcp-flags "
                                    + flags
                                    + " include SYN without ACK, a connection attempt.");
                }
                return false;
            }
            if (trace != null) {
                trace.add(
                        "tcp-flags "
                                + flags
                                + " have no SYN: packets of a connection already open, whose opener"
                                + " the ports tell.");
            }
        }
        if (protocol == Protocols.TCP || protocol == Protocols.UDP) {
            return portsSayResponse(r, eni, ingress, trace);
        }
        if (ingress) {
            if (trace != null) {
                trace.add(
                        "Read as a request arriving from the peer"
                                + (Protocols.isIcmp(protocol)
                                        ? " (an echo request: flow logs carry no ICMP type)"
                                        : "")
                                + ".");
            }
            return false;
        }
        int request = icmpType(protocol, false);
        boolean admitted = false;
        for (SgRule rule : eni.ingress) {
            if (sgMatches(rule, protocol, -1, request)) {
                admitted = true;
                break;
            }
        }
        if (trace != null) {
            String what = Protocols.isIcmp(protocol) ? "an echo request" : Protocols.name(protocol);
            trace.add(
                    admitted
                            ? "Read as a response: the interface's security groups admit "
                                    + what
                                    + " from the peer, so it is answering"
                                    + (Protocols.isIcmp(protocol)
                                            ? " a ping (flow logs carry no ICMP type)."
                                            : ".")
                            : "Read as a request from this interface: its security groups do not admit "
                                    + what
                                    + " from the peer, so it is not answering one.");
        }
        return admitted;
    }

    private static final int PORTS_ABSENT = 0;
    private static final int TO_SERVICE_PORT = 1;
    private static final int FROM_UNSERVED_PORT = 2;
    private static final int TO_SERVED_PORT = 3;
    private static final int SERVICE_TO_EPHEMERAL = 4;

    private boolean portsSayResponse(FlowRecord r, Eni eni, boolean ingress, Explanation trace) {
        int src = r.srcPort;
        int dst = r.dstPort;
        Eni sender = ingress ? null : eni;
        Eni receiver = null;
        int why;
        if (src < 0 || dst < 0) {
            why = PORTS_ABSENT;
        } else if (dst < FIRST_EPHEMERAL_PORT) {
            why = TO_SERVICE_PORT;
        } else {
            boolean senderServes = src < FIRST_EPHEMERAL_PORT;
            if (!senderServes) {
                sender = ingress ? peerEni() : eni;
                senderServes = sender != null && sender.serves(r.protocol, src);
            }
            if (!senderServes) {
                why = FROM_UNSERVED_PORT;
            } else {
                receiver = ingress ? eni : peerEni();
                why =
                        receiver != null && receiver.serves(r.protocol, dst)
                                ? TO_SERVED_PORT
                                : SERVICE_TO_EPHEMERAL;
            }
        }
        if (trace != null) {
            trace.add(portsText(why, src, dst, sender, receiver));
        }
        return why == SERVICE_TO_EPHEMERAL;
    }

    private static String portsText(int why, int src, int dst, Eni sender, Eni receiver) {
        switch (why) {
            case PORTS_ABSENT:
                return "Read as a request: the ports are not in the record.";
            case TO_SERVICE_PORT:
                return "Read as a request: destination port "
                        + dst
                        + " is a service port (below 1024).";
            case FROM_UNSERVED_PORT:
                return "Read as a request: source port "
                        + src
                        + " is not below 1024 and not a port the sender serves.";
            case TO_SERVED_PORT:
                return "Read as a request: destination port "
                        + dst
                        + " is a port the receiver "
                        + receiver.id
                        + " serves (its inbound rules open it).";
            default:
                return "Read as a response: source port "
                        + src
                        + (src < FIRST_EPHEMERAL_PORT
                                ? " is a service port (below 1024)"
                                : " is a port the sender "
                                        + sender.id
                                        + " serves (its inbound rules open it)")
                        + " and destination port "
                        + dst
                        + " is ephemeral (1024-65535).";
        }
    }

    /** The ICMP type a record is read as: echo request or reply; {@code -1} for other protocols. */
    private static int icmpType(int protocol, boolean response) {
        if (protocol == Protocols.ICMP) {
            return response ? 0 : 8;
        }
        if (protocol == Protocols.ICMPV6) {
            return response ? 129 : 128;
        }
        return -1;
    }

    // ---- security groups

    private int securityGroups(
            Eni eni, boolean egress, FlowRecord r, int icmpType, Explanation trace) {
        if (eni.groupIds.isEmpty()) {
            if (trace != null) {
                trace.add(
                        "Security groups: the interface has none"
                                + (eni.model.interfaceType() != null
                                        ? " (type " + eni.model.interfaceType() + ")"
                                        : "")
                                + ", so they do not filter it.");
            }
            return SG_NOT_APPLICABLE;
        }
        SgRule[] rules = egress ? eni.egress : eni.ingress;
        if (trace != null) {
            trace.add(
                    "Security groups "
                            + groupNames(eni.groupIds)
                            + ", "
                            + (egress ? "outbound" : "inbound")
                            + " rules (any matching rule allows; there are no deny rules):");
        }
        for (SgRule rule : rules) {
            if (sgMatches(rule, r.protocol, r.dstPort, icmpType)) {
                if (matched == null) {
                    matched = rule;
                }
                if (trace == null) {
                    return SG_ALLOW;
                }
                trace.add("  " + ruleText(rule) + " -- MATCHES: allows.");
            } else if (trace != null) {
                trace.add("  " + ruleText(rule) + " -- no: " + whyNot(rule, r, icmpType) + ".");
            }
        }
        if (trace != null) {
            if (rules.length == 0) {
                trace.add("  (no " + (egress ? "outbound" : "inbound") + " rules)");
            }
            if (!eni.missingGroups.isEmpty()) {
                trace.add(
                        "  Not in the configuration: "
                                + String.join(", ", eni.missingGroups)
                                + "; their rules are unknown.");
            }
        }
        if (matched != null) {
            return SG_ALLOW;
        }
        return eni.missingGroups.isEmpty() ? SG_DENY : SG_UNKNOWN;
    }

    private boolean sgMatches(SgRule rule, int protocol, int port, int icmpType) {
        int p = rule.protocol;
        if (p != Protocols.ALL) {
            if (p != protocol) {
                return false;
            }
            if (p == Protocols.TCP || p == Protocols.UDP) {
                if (rule.from != -1 && (port < rule.from || port > rule.to)) {
                    return false;
                }
            } else if (p == Protocols.ICMP || p == Protocols.ICMPV6) {
                if (rule.from != -1 && rule.from != icmpType) {
                    return false;
                }
                if (rule.to != -1 && rule.to != 0) {
                    return false;
                }
            }
        }
        switch (rule.peerKind) {
            case NetworkIndex.PEER_CIDR:
                return rule.cidr.contains(peerFamily, peerHi, peerLo);
            case NetworkIndex.PEER_PREFIX_LIST:
                return rule.prefixList != null
                        && rule.prefixList.contains(peerFamily, peerHi, peerLo);
            default:
                Eni e = peerEni();
                return e != null && e.hasGroup(rule.groupNumber);
        }
    }

    // ---- network ACLs

    private NaclRule acl(Eni eni, boolean egress, FlowRecord r, int icmpType, Explanation trace) {
        if (eni.nacl == null) {
            if (trace != null) {
                trace.add(
                        "Network ACL: none known for subnet "
                                + eni.subnetId
                                + " in the configuration; not evaluated.");
            }
            return null;
        }
        NaclRule[] rules = eni.nacl.rules(egress, peerFamily);
        if (trace != null) {
            trace.add(
                    "Network ACL "
                            + eni.nacl.model.networkAclId()
                            + " of subnet "
                            + eni.subnetId
                            + ", "
                            + (egress ? "outbound" : "inbound")
                            + " entries for "
                            + (peerFamily == IpAddresses.V4 ? "IPv4" : "IPv6")
                            + ", lowest rule number first (the first match decides):");
        }
        for (NaclRule rule : rules) {
            if (naclMatches(rule, r.protocol, r.dstPort, icmpType)) {
                if (trace != null) {
                    trace.add(
                            "  "
                                    + aclEntryText(rule)
                                    + " -- MATCHES: "
                                    + (rule.allow ? "allow" : "deny")
                                    + (rule.model.isDefaultRule()
                                            ? " (the final \"*\" entry: nothing else matched)"
                                            : "")
                                    + ".");
                    trace.add(
                            "  => "
                                    + (rule.allow ? "allowed " : "denied ")
                                    + (egress ? "outbound" : "inbound")
                                    + " by "
                                    + rule.model.networkAclId()
                                    + " entry "
                                    + rule.model.numberText()
                                    + "; later entries are not evaluated.");
                }
                return rule;
            }
            if (trace != null) {
                trace.add("  " + aclEntryText(rule) + " -- no: " + whyNot(rule, r, icmpType) + ".");
            }
        }
        throw new IllegalStateException("the * entry matches everything of its family");
    }

    private boolean naclMatches(NaclRule rule, int protocol, int port, int icmpType) {
        if (!rule.cidr.contains(peerFamily, peerHi, peerLo)) {
            return false;
        }
        int p = rule.protocol;
        if (p == Protocols.ALL) {
            return true;
        }
        if (p != protocol) {
            return false;
        }
        if (p == Protocols.TCP || p == Protocols.UDP) {
            return rule.from == -1 || (port >= rule.from && port <= rule.to);
        }
        if (p == Protocols.ICMP || p == Protocols.ICMPV6) {
            return (rule.icmpType == -1 || rule.icmpType == icmpType)
                    && (rule.icmpCode == -1 || rule.icmpCode == 0);
        }
        return true;
    }

    // ---- explanation text (only built when asked for)

    private static void traceFlow(FlowRecord r, Explanation trace) {
        String ports =
                Protocols.hasPorts(r.protocol)
                        ? ":"
                                + r.srcPort
                                + " -> "
                                + IpAddresses.format(r.dstFamily, r.dstHi, r.dstLo)
                                + ":"
                                + r.dstPort
                        : " -> " + IpAddresses.format(r.dstFamily, r.dstHi, r.dstLo);
        trace.add(
                "Flow on "
                        + r.interfaceId
                        + ": "
                        + (r.protocol == FlowRecord.ABSENT
                                ? "protocol ?"
                                : Protocols.name(r.protocol))
                        + " "
                        + IpAddresses.format(r.srcFamily, r.srcHi, r.srcLo)
                        + ports
                        + (r.pktSrcFamily != IpAddresses.NONE || r.pktDstFamily != IpAddresses.NONE
                                ? " (packet addresses "
                                        + IpAddresses.format(r.pktSrcFamily, r.pktSrcHi, r.pktSrcLo)
                                        + " -> "
                                        + IpAddresses.format(r.pktDstFamily, r.pktDstHi, r.pktDstLo)
                                        + ")"
                                : "")
                        + ", "
                        + (r.action == FlowRecord.ACTION_ABSENT
                                ? "action not recorded"
                                : FlowRecord.actionName(r.action))
                        + (r.rejectReason != null ? " (reject-reason " + r.rejectReason + ")" : "")
                        + (r.tcpFlags >= 0 ? ", tcp-flags " + r.tcpFlags : "")
                        + (r.start == FlowRecord.ABSENT
                                ? ""
                                : ", start " + Instant.ofEpochSecond(r.start))
                        + ".");
    }

    private void traceInterface(Eni eni, Explanation trace) {
        Subnet subnet = eni.subnetId == null ? null : index.subnet(eni.subnetId);
        trace.add(
                "Interface "
                        + eni.id
                        + (eni.model.interfaceType() != null
                                        && !"interface".equals(eni.model.interfaceType())
                                ? " (" + eni.model.interfaceType() + ")"
                                : "")
                        + ": subnet "
                        + eni.subnetId
                        + (subnet != null ? " " + subnet.cidrBlocks() : "")
                        + ", VPC "
                        + eni.vpcId
                        + ", security groups "
                        + (eni.groupIds.isEmpty() ? "none" : groupNames(eni.groupIds))
                        + ".");
    }

    private void traceSubnet(Eni eni, boolean sameSubnet, Explanation trace) {
        if (sameSubnet) {
            trace.add(
                    "The peer is in the interface's own subnet "
                            + eni.subnetId
                            + ": network ACLs do not apply to traffic within a subnet.");
        } else if (eni.subnetCidrs == null) {
            trace.add(
                    "Subnet "
                            + eni.subnetId
                            + " is not in the configuration: the traffic is taken to cross the"
                            + " subnet boundary.");
        }
    }

    private String groupNames(List<String> groupIds) {
        List<String> names = new ArrayList<>();
        for (String g : groupIds) {
            SecurityGroup group = index.securityGroup(g);
            names.add(group == null ? g : group.displayName());
        }
        return String.join(", ", names);
    }

    private static String ruleText(SgRule rule) {
        return rule.model.label() + ": " + rule.model.describe();
    }

    private static String aclEntryText(NaclRule rule) {
        return rule.model.numberText()
                + " "
                + rule.model.describe()
                + (rule.implicit ? " (implicit: not in the document)" : "");
    }

    private String peerText() {
        return IpAddresses.format(peerFamily, peerHi, peerLo);
    }

    private String whyNot(SgRule rule, FlowRecord r, int icmpType) {
        int p = rule.protocol;
        if (p != Protocols.ALL && p != r.protocol) {
            return "the flow is "
                    + Protocols.name(r.protocol)
                    + ", the rule is for "
                    + Protocols.name(p);
        }
        if ((p == Protocols.TCP || p == Protocols.UDP)
                && !(rule.from == -1 || (r.dstPort >= rule.from && r.dstPort <= rule.to))) {
            return "port "
                    + r.dstPort
                    + " is not "
                    + (rule.from == rule.to ? rule.from : rule.from + "-" + rule.to);
        }
        if ((p == Protocols.ICMP || p == Protocols.ICMPV6)
                && !(rule.from == -1 || rule.from == icmpType)) {
            return "the flow is read as ICMP type "
                    + icmpType
                    + " ("
                    + icmpName(icmpType)
                    + "), the rule is for type "
                    + rule.from;
        }
        if ((p == Protocols.ICMP || p == Protocols.ICMPV6) && !(rule.to == -1 || rule.to == 0)) {
            return "the flow is read as ICMP code 0, the rule is for code " + rule.to;
        }
        String side = rule.model.egress() ? "destination " : "source ";
        switch (rule.peerKind) {
            case NetworkIndex.PEER_CIDR:
                if (rule.cidr.family != peerFamily) {
                    return side
                            + peerText()
                            + " is "
                            + (peerFamily == IpAddresses.V4 ? "IPv4" : "IPv6")
                            + ", the rule's block is not";
                }
                return side + peerText() + " is not in " + rule.cidr.cidr;
            case NetworkIndex.PEER_PREFIX_LIST:
                if (rule.prefixList == null) {
                    return "prefix list "
                            + rule.model.prefixListId()
                            + " is not in the configuration";
                }
                return side
                        + peerText()
                        + " is not in prefix list "
                        + rule.model.prefixListId()
                        + " "
                        + rule.prefixList.cidrs();
            default:
                Eni e = peerEni();
                String group = rule.model.group().groupId();
                if (e == null) {
                    return side
                            + peerText()
                            + " is not a private address of any interface in this VPC or a peered VPC"
                            + " (a reference to "
                            + group
                            + " matches only its members' private addresses)";
                }
                return side + peerText() + " is " + e.id + ", which does not carry " + group;
        }
    }

    private String whyNot(NaclRule rule, FlowRecord r, int icmpType) {
        String side = rule.model.egress() ? "destination " : "source ";
        if (!rule.cidr.contains(peerFamily, peerHi, peerLo)) {
            return side + peerText() + " is not in " + rule.cidr.cidr;
        }
        if (rule.protocol != r.protocol) {
            return "the flow is "
                    + Protocols.name(r.protocol)
                    + ", the entry is for "
                    + Protocols.name(rule.protocol);
        }
        if (Protocols.hasPorts(rule.protocol)) {
            return "destination port "
                    + r.dstPort
                    + " is not "
                    + (rule.from == rule.to ? rule.from : rule.from + "-" + rule.to);
        }
        return "the flow is read as ICMP type " + icmpType + " code 0 (" + icmpName(icmpType) + ")";
    }

    private static String icmpName(int type) {
        switch (type) {
            case 8:
            case 128:
                return "echo request";
            case 0:
            case 129:
                return "echo reply";
            default:
                return "type " + type;
        }
    }

    private static void traceVerdict(
            Verdict v, FlowRecord r, String configAttribution, Explanation trace) {
        String decided;
        switch (v.decision) {
            case ALLOW:
                decided = "ALLOW (" + configAttribution + ")";
                break;
            case DENY:
                decided = "DENY (" + configAttribution + ")";
                break;
            default:
                decided = "UNKNOWN: the configuration does not say";
        }
        trace.add("Verdict of the configuration: " + decided + ".");
        if (Verdict.BPA.equals(v.attribution)) {
            trace.add(
                    "The flow log says REJECT with reject-reason BPA: VPC Block Public Access"
                            + " rejected it, not a security group or ACL. Attributed to: bpa.");
        } else if (r.action == FlowRecord.ACTION_REJECT) {
            if (v.decision == Decision.DENY) {
                trace.add(
                        "The flow log says REJECT, as the configuration does. Attributed to: "
                                + v.attribution
                                + ".");
            } else if (v.decision == Decision.ALLOW) {
                trace.add(
                        "The flow log says REJECT, but the configuration in force allows this flow."
                                + " Either the configuration changed after the snapshot, or something"
                                + " outside it rejected the packets (e.g. packets of a connection that"
                                + " had already closed). Attributed to: unattributed.");
            } else {
                trace.add("The flow log says REJECT. Attributed to: unattributed.");
            }
        } else if (r.action == FlowRecord.ACTION_ACCEPT && v.decision == Decision.DENY) {
            trace.add(
                    "The flow log says ACCEPT, but the configuration in force denies a new flow like"
                            + " this: a connection tracked from before a rule change keeps working,"
                            + " or the configuration changed.");
        } else if (r.action == FlowRecord.ACTION_ACCEPT) {
            trace.add("The flow log says ACCEPT.");
        }
    }
}
