package io.flowtrail.model;

/** IANA protocol numbers that network rules name, and how a person reads them. */
public final class Protocols {
    /** {@code -1} in security-group and network-ACL rules: every protocol, every port. */
    public static final int ALL = -1;

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;

    private Protocols() {}

    public static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP;
    }

    public static boolean isIcmp(int protocol) {
        return protocol == ICMP || protocol == ICMPV6;
    }

    /**
     * {@code TCP}, {@code UDP}, {@code ICMP}, {@code ICMPv6}, {@code all protocols} or {@code
     * protocol 50}.
     */
    public static String name(int protocol) {
        switch (protocol) {
            case ALL:
                return "all protocols";
            case ICMP:
                return "ICMP";
            case TCP:
                return "TCP";
            case UDP:
                return "UDP";
            case ICMPV6:
                return "ICMPv6";
            default:
                return "protocol " + protocol;
        }
    }
}
