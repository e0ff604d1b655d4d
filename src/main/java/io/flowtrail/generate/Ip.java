package io.flowtrail.generate;

/**
 * Addresses as numbers: IPv4 in the low 32 bits of a {@code long}, IPv6 as two {@code long}s. The
 * synthetic internet: clients, services and scanners are drawn from public IPv4 space by hashing an
 * index (deterministic, no list to keep), away from the private, reserved and documentation ranges,
 * the AWS ranges the configuration names and the VPCs' own public addresses. The documentation
 * ranges are kept for labelled incidents, so a benign record never shares an incident's address.
 */
final class Ip {
    static final byte V4 = 4;
    static final byte V6 = 6;

    /** Scanners of the port-scan incidents and the access-denied burst: 203.0.113.0/24. */
    static final long TEST_NET_3 = v4(203, 0, 113, 0);

    /** Exfiltration destinations of the new-destination incidents: 192.0.2.0/24. */
    static final long TEST_NET_1 = v4(192, 0, 2, 0);

    /** Admins, partners: 198.51.100.0/24. */
    static final long TEST_NET_2 = v4(198, 51, 100, 0);

    /** The VPCs' public (Elastic and auto-assigned) addresses: 44.192.0.0/11, in us-east-1. */
    static final long PUBLIC_BLOCK = v4(44, 192, 0, 0);

    /** The synthetic IPv6 internet: 2001:db8:8000::/33, clear of the VPCs' /56s. */
    static final long V6_INTERNET_HI = 0x20010db880000000L;

    private static final long[][] EXCLUDED = {
        {v4(0, 0, 0, 0), 8},
        {v4(10, 0, 0, 0), 8},
        {v4(100, 64, 0, 0), 10},
        {v4(127, 0, 0, 0), 8},
        {v4(169, 254, 0, 0), 16},
        {v4(172, 16, 0, 0), 12},
        {v4(192, 0, 0, 0), 24},
        {v4(192, 0, 2, 0), 24},
        {v4(192, 168, 0, 0), 16},
        {v4(198, 18, 0, 0), 15},
        {v4(198, 51, 100, 0), 24},
        {v4(203, 0, 113, 0), 24},
        {v4(224, 0, 0, 0), 3},
        {PUBLIC_BLOCK, 11},
        // The S3 prefix list of the configuration, and the AWS API ranges used for KMS calls.
        {v4(3, 5, 0, 0), 19},
        {v4(16, 15, 176, 0), 20},
        {v4(16, 182, 0, 0), 16},
        {v4(18, 34, 0, 0), 19},
        {v4(18, 34, 232, 0), 21},
        {v4(52, 95, 128, 0), 21},
        {v4(52, 216, 0, 0), 15},
        {v4(54, 231, 0, 0), 16},
        {v4(52, 94, 0, 0), 16},
    };

    private Ip() {}

    static long v4(int a, int b, int c, int d) {
        return ((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d;
    }

    static boolean inBlock(long v4, long base, long bits) {
        long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
        return (v4 & mask) == (base & mask);
    }

    /** SplitMix64's finaliser: a well-mixed hash of a number. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The public IPv4 address number {@code index} of the space {@code salt} (clients, ...). */
    static long publicV4(long salt, long index) {
        long h = mix(salt * 0x9e3779b97f4a7c15L + index);
        while (true) {
            long a = h & 0xffffffffL;
            if (isPublic(a)) {
                return a;
            }
            h = mix(h + 1);
        }
    }

    static boolean isPublic(long a) {
        if ((a & 0xff) == 0 || (a & 0xff) == 255) {
            return false;
        }
        for (long[] e : EXCLUDED) {
            if (inBlock(a, e[0], e[1])) {
                return false;
            }
        }
        return true;
    }

    /** The low half of an IPv6 internet address number {@code index} of space {@code salt}. */
    static long publicV6Lo(long salt, long index) {
        return mix(salt * 0x632be59bd9b4e019L + index);
    }

    static long publicV6Hi(long salt, long index) {
        return V6_INTERNET_HI | (mix(salt * 0x8cb92ba72f3d8dd7L + index) & 0x7fffffffL);
    }

    static String text(byte family, long hi, long lo) {
        return new ByteBuf(40).address(family, hi, lo).toString();
    }

    static String v4Text(long v4) {
        return new ByteBuf(16).ipv4(v4).toString();
    }
}
