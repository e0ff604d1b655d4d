package io.flowtrail.model;

/**
 * Addresses as numbers: a family ({@link #V4}, {@link #V6} or {@link #NONE}) and 128 bits in two
 * longs. Formatting to text happens only where a person or a table needs it.
 */
public final class IpAddresses {
    public static final byte NONE = 0;
    public static final byte V4 = 4;
    public static final byte V6 = 6;

    private IpAddresses() {}

    /**
     * Text form: dotted quad for IPv4, RFC 5952 for IPv6 (lower case, longest zero run as ::,
     * IPv4-mapped addresses as {@code ::ffff:192.0.2.1}).
     */
    public static String format(byte family, long hi, long lo) {
        if (family == V4) {
            return ((lo >>> 24) & 0xff)
                    + "."
                    + ((lo >>> 16) & 0xff)
                    + "."
                    + ((lo >>> 8) & 0xff)
                    + "."
                    + (lo & 0xff);
        }
        if (family != V6) {
            return null;
        }
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            // IPv4-mapped (::ffff:0:0/96): RFC 5952 section 5 recommends mixed notation.
            return "::ffff:" + format(V4, 0, lo);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
            groups[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** A well-mixed 64-bit hash of an address, for distinct counting. */
    public static long hash(byte family, long hi, long lo) {
        long h = mix64(lo + family * 0x9E3779B97F4A7C15L);
        return family == V6 ? mix64(h ^ mix64(hi)) : h;
    }

    /** The finaliser of SplitMix64: a cheap bijective mix of 64 bits. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
