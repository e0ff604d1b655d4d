package io.flowtrail.model;

/**
 * One VPC flow-log record, typed. Every field of flow-log versions 2 to 8 and the newer {@code
 * resource-id} and {@code encryption-status} fields has a slot; a field that the record's format
 * does not carry, or that the record gives as {@code -}, is absent: {@code null} for text, {@link
 * #ABSENT} for numbers, {@link IpAddresses#NONE} for address families.
 *
 * <p>Addresses are kept as numbers (family, high and low 64 bits), never as strings, so that the
 * per-record path neither allocates nor re-parses them. An IPv4 address is its 32 bits in {@code
 * lo} with {@code hi} zero.
 *
 * <p>A record that could not be parsed carries its {@link DeadLetter} and nothing else: the file
 * sources emit both kinds on one stream so that the order of a file is kept, and the pipeline
 * routes dead letters to their own table straight after the source.
 *
 * <p>This is a Flink POJO (public fields, a public no-argument constructor), serialized without
 * Kryo; a test asserts it.
 */
public class FlowRecord {
    /** Value of a numeric field that is absent from the format or given as {@code -}. */
    public static final long ABSENT = -1L;

    public static final byte STATUS_OK = 0;
    public static final byte STATUS_NODATA = 1;
    public static final byte STATUS_SKIPDATA = 2;

    /** The format has no {@code log-status} field: the record is treated as traffic. */
    public static final byte STATUS_ABSENT = 3;

    public static final byte ACTION_ABSENT = 0;
    public static final byte ACTION_ACCEPT = 1;
    public static final byte ACTION_REJECT = 2;

    public static final byte DIRECTION_UNKNOWN = 0;
    public static final byte DIRECTION_INGRESS = 1;
    public static final byte DIRECTION_EGRESS = 2;

    public static final byte TYPE_ABSENT = 0;
    public static final byte TYPE_IPV4 = 1;
    public static final byte TYPE_IPV6 = 2;
    public static final byte TYPE_EFA = 3;

    public int version = (int) ABSENT;
    public String accountId;
    public String interfaceId;

    public byte srcFamily;
    public long srcHi;
    public long srcLo;
    public byte dstFamily;
    public long dstHi;
    public long dstLo;
    public int srcPort = (int) ABSENT;
    public int dstPort = (int) ABSENT;
    public int protocol = (int) ABSENT;
    public long packets = ABSENT;
    public long bytes = ABSENT;

    /** Unix seconds of the first packet in the aggregation interval; the record's event time. */
    public long start = ABSENT;

    public long end = ABSENT;
    public byte action;
    public byte logStatus = STATUS_ABSENT;

    // version 3
    public String vpcId;
    public String subnetId;
    public String instanceId;
    public int tcpFlags = (int) ABSENT;
    public byte type;
    public byte pktSrcFamily;
    public long pktSrcHi;
    public long pktSrcLo;
    public byte pktDstFamily;
    public long pktDstHi;
    public long pktDstLo;

    // version 4
    public String region;
    public String azId;
    public String sublocationType;
    public String sublocationId;

    // version 5
    public String pktSrcAwsService;
    public String pktDstAwsService;
    public byte flowDirection;
    public int trafficPath = (int) ABSENT;

    // version 7
    public String ecsClusterArn;
    public String ecsClusterName;
    public String ecsContainerInstanceArn;
    public String ecsContainerInstanceId;
    public String ecsContainerId;
    public String ecsSecondContainerId;
    public String ecsServiceName;
    public String ecsTaskDefinitionArn;
    public String ecsTaskArn;
    public String ecsTaskId;

    // version 8 and later
    public String rejectReason;
    public String resourceId;
    public int encryptionStatus = (int) ABSENT;

    // Filled by the configuration join (left as they are without configuration).

    /**
     * For a REJECT: the rule behind it ({@code nacl:acl-0abc#100}, {@code sg:no-matching-rule},
     * ...).
     */
    public String attribution;

    /** Where the other end is: {@code PEER_*}. */
    public byte peerClass;

    /** Recognised as the response of an allowed connection. */
    public boolean response;

    /** What kind of interface recorded it: {@code INTERFACE_*}. */
    public byte interfaceKind;

    /**
     * The gateway VPC endpoint this flow should have used and did not: egress to S3 or DynamoDB
     * through an internet gateway or a NAT gateway from a subnet whose route table has a gateway
     * endpoint for that service. Null otherwise.
     */
    public String bypassedEndpoint;

    /**
     * Egress to the internet from a subnet whose route table has no route to the destination (or
     * only a blackhole): routing drops it, yet the interface let it out. Set by the join.
     */
    public boolean noInternetRoute;

    /** Effective time (epoch ms) of the configuration snapshot it was evaluated against, or -1. */
    public long configSince = -1L;

    public static final byte PEER_UNKNOWN = 0;
    public static final byte PEER_SAME_VPC = 1;
    public static final byte PEER_PEERED_VPC = 2;
    public static final byte PEER_AWS_SERVICE = 3;
    public static final byte PEER_INTERNET = 4;
    public static final byte PEER_OTHER_PRIVATE = 5;

    public static final byte INTERFACE_UNKNOWN = 0;
    public static final byte INTERFACE_INSTANCE = 1;

    /**
     * NAT gateways, load balancers, endpoints: AWS-managed interfaces that carry others' traffic.
     */
    public static final byte INTERFACE_MANAGED = 2;

    /**
     * Where the record was read, as a prefix of its location that ends in a separator ({@code
     * path:}, {@code path:envelope 2 event }, {@code topic/partition 3 offset }): shared by all
     * records of one input, so it costs no allocation per record.
     */
    public String origin;

    /** Line, event or offset within {@link #origin}. */
    public long position;

    /** Set only when the input could not be parsed; every other field is then meaningless. */
    public DeadLetter deadLetter;

    public FlowRecord() {}

    public static FlowRecord dead(DeadLetter deadLetter) {
        FlowRecord record = new FlowRecord();
        record.deadLetter = deadLetter;
        return record;
    }

    /** {@code path:line} or the like: where a person finds this record. */
    public String location() {
        return origin + position;
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }

    /** NODATA and SKIPDATA records are counted but are not traffic. */
    public boolean isTraffic() {
        return deadLetter == null && (logStatus == STATUS_OK || logStatus == STATUS_ABSENT);
    }

    /** Event time in epoch milliseconds. */
    public long startMillis() {
        return start * 1000L;
    }

    public static String actionName(byte action) {
        switch (action) {
            case ACTION_ACCEPT:
                return "ACCEPT";
            case ACTION_REJECT:
                return "REJECT";
            default:
                return null;
        }
    }

    public static String directionName(byte direction) {
        switch (direction) {
            case DIRECTION_INGRESS:
                return "ingress";
            case DIRECTION_EGRESS:
                return "egress";
            default:
                return "unknown";
        }
    }

    @Override
    public String toString() {
        if (deadLetter != null) {
            return "FlowRecord{dead " + deadLetter + "}";
        }
        return "FlowRecord{"
                + interfaceId
                + " "
                + IpAddresses.format(srcFamily, srcHi, srcLo)
                + ":"
                + srcPort
                + " -> "
                + IpAddresses.format(dstFamily, dstHi, dstLo)
                + ":"
                + dstPort
                + " proto "
                + protocol
                + " "
                + actionName(action)
                + " start "
                + start
                + " status "
                + logStatus
                + "}";
    }
}
