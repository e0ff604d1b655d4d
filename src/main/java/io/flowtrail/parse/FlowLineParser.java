package io.flowtrail.parse;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;

/**
 * Parses one flow-log record, given as a range of bytes, by its declared {@link FlowLogFormat}.
 *
 * <p>The hot path of Flowtrail: no regex, no {@code String.split}, no string per field. Numbers and
 * addresses are parsed straight from the bytes; identifiers go through a {@link
 * ByteStringInterner}. A well-formed record of the default format is read in one pass without
 * dispatch; in other formats the common fields are read as their end is found; any other field, and
 * any field that is absent or wrong, goes through {@link #field}, which names the problem. A
 * problem is returned as a reason (a {@code String}), not thrown, so that a file full of bad lines
 * costs no stack traces.
 *
 * <p>One parser per reader thread; it is not thread-safe.
 */
public final class FlowLineParser {
    private final FlowLogFormat format;
    private final FlowLogField[] fields;
    private final ByteStringInterner interner;

    /** Whether {@link #common} reads the common fields; off only to test it against the rest. */
    private final boolean commonPath;

    /** Whether the format is the default one, which {@link #version2} reads in one pass. */
    private final boolean version2;

    // Scratch for the last address parsed.
    private byte addrFamily;
    private long addrHi;
    private long addrLo;

    public FlowLineParser(FlowLogFormat format) {
        this(format, new ByteStringInterner(1 << 14));
    }

    public FlowLineParser(FlowLogFormat format, ByteStringInterner interner) {
        this(format, interner, true);
    }

    FlowLineParser(FlowLogFormat format, ByteStringInterner interner, boolean commonPath) {
        this.commonPath = commonPath;
        this.format = format;
        this.fields = new FlowLogField[format.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = format.field(i);
        }
        this.interner = interner;
        this.version2 = format.equals(FlowLogFormat.DEFAULT);
    }

    public FlowLogFormat format() {
        return format;
    }

    /**
     * Fills {@code into} from the record in {@code buf[from, to)}.
     *
     * @return {@code null} when the record was read, else why it could not be
     */
    public String parse(byte[] buf, int from, int to, FlowRecord into) {
        // Trailing carriage return (files written on Windows) and spaces are not a field.
        while (to > from && (buf[to - 1] == '\r' || buf[to - 1] == ' ')) {
            to--;
        }
        if (version2 && commonPath && version2(buf, from, to, into)) {
            return recordProblem(into);
        }
        int expected = fields.length;
        int index = 0;
        int i = from;
        while (i < to) {
            int start = i;
            i = commonPath && index < expected ? common(fields[index], buf, start, to, into) : -1;
            if (i < 0) {
                // Every other field, and every field that is absent or wrong: find its end, then
                // read it (or say what is wrong with it) by its kind.
                i = start;
                while (i < to && buf[i] != ' ') {
                    byte b = buf[i];
                    if (b < 0x20 || b == 0x7f) {
                        return "control byte 0x"
                                + Integer.toHexString(b & 0xff)
                                + " at column "
                                + (i - from + 1)
                                + ": not a flow-log record";
                    }
                    i++;
                }
                if (index >= expected) {
                    return "more than the " + expected + " fields the format declares";
                }
                String problem = field(fields[index], buf, start, i, into);
                if (problem != null) {
                    return fields[index].wireName()
                            + ": "
                            + problem
                            + ", got '"
                            + new String(
                                    buf,
                                    start,
                                    Math.min(i - start, 64),
                                    java.nio.charset.StandardCharsets.UTF_8)
                            + "'";
                }
            }
            index++;
            if (i < to) {
                i++; // the single space between fields
                if (i == to || buf[i] == ' ') {
                    return "empty field after '" + fields[index - 1].wireName() + "'";
                }
            }
        }
        if (index != expected) {
            return "truncated: "
                    + index
                    + " of the "
                    + expected
                    + " fields the format declares"
                    + (index > 0
                            ? " (the last one read was " + fields[index - 1].wireName() + ")"
                            : "");
        }
        return recordProblem(into);
    }

    /**
     * What is wrong with a record as a whole once its fields are read, or {@code null}. Shared with
     * the Parquet reader so that text and Parquet agree on what is valid.
     */
    static String recordProblem(FlowRecord r) {
        if (r.logStatus == FlowRecord.STATUS_OK || r.logStatus == FlowRecord.STATUS_ABSENT) {
            if (r.start != FlowRecord.ABSENT && r.end != FlowRecord.ABSENT && r.end < r.start) {
                return "end " + r.end + " is before start " + r.start;
            }
        }
        return null;
    }

    /**
     * A record of the default (version 2) format with every field present and well formed, read
     * field after field with no dispatch on the field's kind; {@code false} for anything else,
     * which {@link #parse} then reads field by field (and the fields set here it reads the same
     * way).
     */
    private boolean version2(byte[] b, int from, int to, FlowRecord r) {
        long v;
        if ((v = digits(b, from, to, 255)) < 0 || end == to) {
            return false;
        }
        r.version = (int) v;
        if ((r.accountId = identifier(b, end + 1, to)) == null || end == to) {
            return false;
        }
        if ((r.interfaceId = identifier(b, end + 1, to)) == null || end == to) {
            return false;
        }
        if ((v = ipv4(b, end + 1, to)) < 0 || end == to) {
            return false;
        }
        r.srcFamily = IpAddresses.V4;
        r.srcHi = 0;
        r.srcLo = v;
        if ((v = ipv4(b, end + 1, to)) < 0 || end == to) {
            return false;
        }
        r.dstFamily = IpAddresses.V4;
        r.dstHi = 0;
        r.dstLo = v;
        if ((v = digits(b, end + 1, to, 65535)) < 0 || end == to) {
            return false;
        }
        r.srcPort = (int) v;
        if ((v = digits(b, end + 1, to, 65535)) < 0 || end == to) {
            return false;
        }
        r.dstPort = (int) v;
        if ((v = digits(b, end + 1, to, 255)) < 0 || end == to) {
            return false;
        }
        r.protocol = (int) v;
        if ((v = digits(b, end + 1, to, Long.MAX_VALUE)) < 0 || end == to) {
            return false;
        }
        r.packets = v;
        if ((v = digits(b, end + 1, to, Long.MAX_VALUE)) < 0 || end == to) {
            return false;
        }
        r.bytes = v;
        if ((v = digits(b, end + 1, to, MAX_EPOCH_SECONDS)) < 0 || end == to) {
            return false;
        }
        r.start = v;
        if ((v = digits(b, end + 1, to, MAX_EPOCH_SECONDS)) < 0 || end == to) {
            return false;
        }
        r.end = v;
        int i = end + 1;
        if (word(b, i, to, ACCEPT)) {
            r.action = FlowRecord.ACTION_ACCEPT;
        } else if (word(b, i, to, REJECT)) {
            r.action = FlowRecord.ACTION_REJECT;
        } else {
            return false;
        }
        if (end == to || !word(b, end + 1, to, OK) || end != to) {
            return false;
        }
        r.logStatus = FlowRecord.STATUS_OK;
        return true;
    }

    /**
     * The common case of the fields on nearly every record, read in the same pass that finds the
     * field's end: a number, an IPv4 address, an identifier. Returns where the field ends (a space
     * or {@code to}), or {@code -1} when the field is of another kind, absent, or anything but well
     * formed: {@link #field} then reads it, or says what is wrong, exactly as for every other
     * field. What this reads, {@link #field} would read the same way.
     */
    private int common(FlowLogField field, byte[] b, int from, int to, FlowRecord r) {
        long v;
        switch (field) {
            case VERSION:
                if ((v = digits(b, from, to, 255)) < 0) {
                    return -1;
                }
                r.version = (int) v;
                return end;
            case SRCPORT:
                if ((v = digits(b, from, to, 65535)) < 0) {
                    return -1;
                }
                r.srcPort = (int) v;
                return end;
            case DSTPORT:
                if ((v = digits(b, from, to, 65535)) < 0) {
                    return -1;
                }
                r.dstPort = (int) v;
                return end;
            case PROTOCOL:
                if ((v = digits(b, from, to, 255)) < 0) {
                    return -1;
                }
                r.protocol = (int) v;
                return end;
            case PACKETS:
                if ((v = digits(b, from, to, Long.MAX_VALUE)) < 0) {
                    return -1;
                }
                r.packets = v;
                return end;
            case BYTES:
                if ((v = digits(b, from, to, Long.MAX_VALUE)) < 0) {
                    return -1;
                }
                r.bytes = v;
                return end;
            case START:
                if ((v = digits(b, from, to, MAX_EPOCH_SECONDS)) < 0) {
                    return -1;
                }
                r.start = v;
                return end;
            case END:
                if ((v = digits(b, from, to, MAX_EPOCH_SECONDS)) < 0) {
                    return -1;
                }
                r.end = v;
                return end;
            case SRCADDR:
                if ((v = ipv4(b, from, to)) < 0) {
                    return -1;
                }
                r.srcFamily = IpAddresses.V4;
                r.srcHi = 0;
                r.srcLo = v;
                return end;
            case DSTADDR:
                if ((v = ipv4(b, from, to)) < 0) {
                    return -1;
                }
                r.dstFamily = IpAddresses.V4;
                r.dstHi = 0;
                r.dstLo = v;
                return end;
            case ACTION:
                if (word(b, from, to, ACCEPT)) {
                    r.action = FlowRecord.ACTION_ACCEPT;
                } else if (word(b, from, to, REJECT)) {
                    r.action = FlowRecord.ACTION_REJECT;
                } else {
                    return -1;
                }
                return end;
            case LOG_STATUS:
                if (word(b, from, to, OK)) {
                    r.logStatus = FlowRecord.STATUS_OK;
                } else {
                    return -1;
                }
                return end;
            case ACCOUNT_ID:
                return (r.accountId = identifier(b, from, to)) == null ? -1 : end;
            case INTERFACE_ID:
                return (r.interfaceId = identifier(b, from, to)) == null ? -1 : end;
            default:
                return -1;
        }
    }

    /**
     * Where the last {@link #digits}, {@link #ipv4}, {@link #word} or {@link #identifier} stopped.
     */
    private int end;

    /**
     * One to 18 decimal digits up to a space or {@code to}, at most {@code max}; else {@code -1}
     * ({@link #number} takes the rest, 19 digits included).
     */
    private long digits(byte[] b, int from, int to, long max) {
        long v = 0;
        int i = from;
        while (i < to) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            i++;
        }
        if (i == from || i - from > 18 || (i < to && b[i] != ' ') || v > max) {
            return -1;
        }
        end = i;
        return v;
    }

    /**
     * A dotted-quad IPv4 address up to a space or {@code to}, as {@link IpAddresses#parse} reads it
     * (one to three digits, at most 255, per octet); else {@code -1}.
     */
    private long ipv4(byte[] b, int from, int to) {
        long v = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                octet = octet * 10 + d;
                i++;
            }
            if (i == start || octet > 255) {
                return -1;
            }
            v = (v << 8) | octet;
            if (part < 3) {
                if (i == to || b[i] != '.') {
                    return -1;
                }
                i++;
            }
        }
        if (i < to && b[i] != ' ') {
            return -1;
        }
        end = i;
        return v;
    }

    /** Whether the field is exactly {@code constant}. */
    private boolean word(byte[] b, int from, int to, byte[] constant) {
        int e = from + constant.length;
        if (e > to || (e < to && b[e] != ' ')) {
            return false;
        }
        for (int i = 0; i < constant.length; i++) {
            if (b[from + i] != constant[i]) {
                return false;
            }
        }
        end = e;
        return true;
    }

    /** Text up to a space or {@code to} without control bytes, interned; else {@code null}. */
    private String identifier(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            byte c = b[i];
            if (c == ' ') {
                break;
            }
            if (c < 0x20 || c == 0x7f) {
                return null;
            }
            i++;
        }
        if (i == from || (i - from == 1 && b[from] == '-')) {
            return null;
        }
        end = i;
        return interner.intern(b, from, i);
    }

    /** Reads one field's text into the record; {@code null} when it was read, else why not. */
    String field(FlowLogField field, byte[] b, int from, int to, FlowRecord r) {
        boolean absent = to - from == 1 && b[from] == '-';
        switch (field) {
            case VERSION:
                return absent
                        ? null
                        : (r.version = (int) number(b, from, to, 255)) < 0 ? bad : null;
            case ACCOUNT_ID:
                r.accountId = text(b, from, to, absent);
                return null;
            case INTERFACE_ID:
                r.interfaceId = text(b, from, to, absent);
                return null;
            case SRCADDR:
                if (absent) {
                    return null;
                }
                if (!address(b, from, to)) {
                    return badAddress(b, from, to);
                }
                r.srcFamily = addrFamily;
                r.srcHi = addrHi;
                r.srcLo = addrLo;
                return null;
            case DSTADDR:
                if (absent) {
                    return null;
                }
                if (!address(b, from, to)) {
                    return badAddress(b, from, to);
                }
                r.dstFamily = addrFamily;
                r.dstHi = addrHi;
                r.dstLo = addrLo;
                return null;
            case PKT_SRCADDR:
                if (absent) {
                    return null;
                }
                if (!address(b, from, to)) {
                    return badAddress(b, from, to);
                }
                r.pktSrcFamily = addrFamily;
                r.pktSrcHi = addrHi;
                r.pktSrcLo = addrLo;
                return null;
            case PKT_DSTADDR:
                if (absent) {
                    return null;
                }
                if (!address(b, from, to)) {
                    return badAddress(b, from, to);
                }
                r.pktDstFamily = addrFamily;
                r.pktDstHi = addrHi;
                r.pktDstLo = addrLo;
                return null;
            case SRCPORT:
                return absent
                        ? null
                        : (r.srcPort = (int) number(b, from, to, 65535)) < 0 ? badPort : null;
            case DSTPORT:
                return absent
                        ? null
                        : (r.dstPort = (int) number(b, from, to, 65535)) < 0 ? badPort : null;
            case PROTOCOL:
                return absent
                        ? null
                        : (r.protocol = (int) number(b, from, to, 255)) < 0 ? badProtocol : null;
            case PACKETS:
                return absent
                        ? null
                        : (r.packets = number(b, from, to, Long.MAX_VALUE)) < 0 ? bad : null;
            case BYTES:
                return absent
                        ? null
                        : (r.bytes = number(b, from, to, Long.MAX_VALUE)) < 0 ? bad : null;
            case START:
                return absent
                        ? null
                        : (r.start = number(b, from, to, MAX_EPOCH_SECONDS)) < 0 ? badTime : null;
            case END:
                return absent
                        ? null
                        : (r.end = number(b, from, to, MAX_EPOCH_SECONDS)) < 0 ? badTime : null;
            case ACTION:
                if (absent) {
                    return null;
                }
                if (equals(b, from, to, ACCEPT)) {
                    r.action = FlowRecord.ACTION_ACCEPT;
                } else if (equals(b, from, to, REJECT)) {
                    r.action = FlowRecord.ACTION_REJECT;
                } else {
                    return "expected ACCEPT, REJECT or -";
                }
                return null;
            case LOG_STATUS:
                if (equals(b, from, to, OK)) {
                    r.logStatus = FlowRecord.STATUS_OK;
                } else if (equals(b, from, to, NODATA)) {
                    r.logStatus = FlowRecord.STATUS_NODATA;
                } else if (equals(b, from, to, SKIPDATA)) {
                    r.logStatus = FlowRecord.STATUS_SKIPDATA;
                } else {
                    return "expected OK, NODATA or SKIPDATA";
                }
                return null;
            case VPC_ID:
                r.vpcId = text(b, from, to, absent);
                return null;
            case SUBNET_ID:
                r.subnetId = text(b, from, to, absent);
                return null;
            case INSTANCE_ID:
                r.instanceId = text(b, from, to, absent);
                return null;
            case TCP_FLAGS:
                return absent
                        ? null
                        : (r.tcpFlags = (int) number(b, from, to, 255)) < 0 ? bad : null;
            case TYPE:
                if (absent) {
                    return null;
                }
                if (equals(b, from, to, IPV4)) {
                    r.type = FlowRecord.TYPE_IPV4;
                } else if (equals(b, from, to, IPV6)) {
                    r.type = FlowRecord.TYPE_IPV6;
                } else if (equals(b, from, to, EFA)) {
                    r.type = FlowRecord.TYPE_EFA;
                } else {
                    return "expected IPv4, IPv6, EFA or -";
                }
                return null;
            case REGION:
                r.region = text(b, from, to, absent);
                return null;
            case AZ_ID:
                r.azId = text(b, from, to, absent);
                return null;
            case SUBLOCATION_TYPE:
                r.sublocationType = text(b, from, to, absent);
                return null;
            case SUBLOCATION_ID:
                r.sublocationId = text(b, from, to, absent);
                return null;
            case PKT_SRC_AWS_SERVICE:
                r.pktSrcAwsService = text(b, from, to, absent);
                return null;
            case PKT_DST_AWS_SERVICE:
                r.pktDstAwsService = text(b, from, to, absent);
                return null;
            case FLOW_DIRECTION:
                if (absent) {
                    return null;
                }
                if (equals(b, from, to, INGRESS)) {
                    r.flowDirection = FlowRecord.DIRECTION_INGRESS;
                } else if (equals(b, from, to, EGRESS)) {
                    r.flowDirection = FlowRecord.DIRECTION_EGRESS;
                } else {
                    return "expected ingress, egress or -";
                }
                return null;
            case TRAFFIC_PATH:
                return absent
                        ? null
                        : (r.trafficPath = (int) number(b, from, to, 255)) < 0 ? bad : null;
            case ECS_CLUSTER_ARN:
                r.ecsClusterArn = text(b, from, to, absent);
                return null;
            case ECS_CLUSTER_NAME:
                r.ecsClusterName = text(b, from, to, absent);
                return null;
            case ECS_CONTAINER_INSTANCE_ARN:
                r.ecsContainerInstanceArn = text(b, from, to, absent);
                return null;
            case ECS_CONTAINER_INSTANCE_ID:
                r.ecsContainerInstanceId = text(b, from, to, absent);
                return null;
            case ECS_CONTAINER_ID:
                r.ecsContainerId = text(b, from, to, absent);
                return null;
            case ECS_SECOND_CONTAINER_ID:
                r.ecsSecondContainerId = text(b, from, to, absent);
                return null;
            case ECS_SERVICE_NAME:
                r.ecsServiceName = text(b, from, to, absent);
                return null;
            case ECS_TASK_DEFINITION_ARN:
                r.ecsTaskDefinitionArn = text(b, from, to, absent);
                return null;
            case ECS_TASK_ARN:
                r.ecsTaskArn = text(b, from, to, absent);
                return null;
            case ECS_TASK_ID:
                r.ecsTaskId = text(b, from, to, absent);
                return null;
            case REJECT_REASON:
                r.rejectReason = text(b, from, to, absent);
                return null;
            case RESOURCE_ID:
                r.resourceId = text(b, from, to, absent);
                return null;
            case ENCRYPTION_STATUS:
                return absent
                        ? null
                        : (r.encryptionStatus = (int) number(b, from, to, 255)) < 0 ? bad : null;
            case UNKNOWN:
            default:
                return null;
        }
    }

    /** Year 9999; larger values are not times. */
    private static final long MAX_EPOCH_SECONDS = 253402300799L;

    private static final String bad = "expected a non-negative integer or -";
    private static final String badPort = "expected a port 0-65535 or -";
    private static final String badProtocol = "expected a protocol number 0-255 or -";
    private static final String badTime = "expected Unix seconds or -";

    private static final byte[] ACCEPT = ascii("ACCEPT");
    private static final byte[] REJECT = ascii("REJECT");
    private static final byte[] OK = ascii("OK");
    private static final byte[] NODATA = ascii("NODATA");
    private static final byte[] SKIPDATA = ascii("SKIPDATA");
    private static final byte[] IPV4 = ascii("IPv4");
    private static final byte[] IPV6 = ascii("IPv6");
    private static final byte[] EFA = ascii("EFA");
    private static final byte[] INGRESS = ascii("ingress");
    private static final byte[] EGRESS = ascii("egress");

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private String text(byte[] b, int from, int to, boolean absent) {
        return absent ? null : interner.intern(b, from, to);
    }

    private static boolean equals(byte[] b, int from, int to, byte[] constant) {
        return java.util.Arrays.equals(b, from, to, constant, 0, constant.length);
    }

    /** Decimal digits only, at most {@code max}; {@code -1} when not such a number. */
    static long number(byte[] b, int from, int to, long max) {
        if (to <= from || to - from > 19) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
            if (v < 0) {
                return -1;
            }
        }
        return v <= max ? v : -1;
    }

    private static String badAddress(byte[] b, int from, int to) {
        return "expected an IPv4 or IPv6 address or -";
    }

    private final long[] hiLo = new long[2];

    /** Parses an IPv4 or IPv6 address into the scratch fields. */
    boolean address(byte[] b, int from, int to) {
        byte family = IpAddresses.parse(b, from, to, hiLo, groups);
        if (family == IpAddresses.NONE) {
            return false;
        }
        addrFamily = family;
        addrHi = hiLo[0];
        addrLo = hiLo[1];
        return true;
    }

    private final int[] groups = new int[8];
}
