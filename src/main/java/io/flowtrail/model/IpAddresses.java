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

    /**
     * Parses an IPv4 dotted quad or an IPv6 address (RFC 4291 text forms, {@code ::}, embedded
     * IPv4) in {@code b[from, to)}: the one address parser of Flowtrail, for flow records (bytes,
     * no allocation: the caller owns {@code hiLo} and {@code groups}) and configuration text.
     *
     * @param hiLo receives the high and low 64 bits
     * @param groups scratch of 8 ints
     * @return {@link #V4}, {@link #V6}, or {@link #NONE} when the text is not an address
     */
    public static byte parse(byte[] b, int from, int to, long[] hiLo, int[] groups) {
        if (to <= from || to - from > 45) {
            return NONE;
        }
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                return ipv6(b, from, to, hiLo, groups) ? V6 : NONE;
            }
        }
        long v4 = ipv4(b, from, to);
        if (v4 < 0) {
            return NONE;
        }
        hiLo[0] = 0;
        hiLo[1] = v4;
        return V4;
    }

    /** Dotted quad, each part 0-255 without sign; {@code -1} when not one. */
    private static long ipv4(byte[] b, int from, int to) {
        long v = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < to && b[i] != '.') {
                int d = b[i] - '0';
                if (d < 0 || d > 9 || i - start >= 3) {
                    return -1;
                }
                octet = octet * 10 + d;
                i++;
            }
            if (i == start || octet > 255) {
                return -1;
            }
            v = (v << 8) | octet;
            parts++;
            if (i == to) {
                break;
            }
            i++; // '.'
            if (parts == 4) {
                return -1;
            }
        }
        return parts == 4 ? v : -1;
    }

    private static boolean ipv6(byte[] b, int from, int to, long[] hiLo, int[] groups) {
        int count = 0;
        int gap = -1;
        int i = from;
        if (i + 1 < to && b[i] == ':' && b[i + 1] == ':') {
            gap = 0;
            i += 2;
        } else if (b[i] == ':') {
            return false;
        }
        while (i < to) {
            if (count == 8) {
                return false;
            }
            int start = i;
            int value = 0;
            boolean dot = false;
            while (i < to && b[i] != ':') {
                if (b[i] == '.') {
                    dot = true;
                    break;
                }
                int d = hex(b[i]);
                if (d < 0 || i - start >= 4) {
                    return false;
                }
                value = (value << 4) | d;
                i++;
            }
            if (dot) {
                // Embedded IPv4 in the last 32 bits (::ffff:192.0.2.1).
                if (count > 6) {
                    return false;
                }
                long v4 = ipv4(b, start, to);
                if (v4 < 0) {
                    return false;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                break;
            }
            if (i == start) {
                return false;
            }
            groups[count++] = value;
            if (i == to) {
                break;
            }
            i++; // ':'
            if (i < to && b[i] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
            } else if (i == to) {
                return false; // trailing single ':'
            }
        }
        if (gap < 0 && count != 8) {
            return false;
        }
        if (gap >= 0) {
            if (count == 8) {
                return false;
            }
            int move = count - gap;
            for (int k = 0; k < move; k++) {
                groups[7 - k] = groups[count - 1 - k];
            }
            for (int k = gap; k < 8 - move; k++) {
                groups[k] = 0;
            }
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = (hi << 16) | groups[k];
            lo = (lo << 16) | groups[k + 4];
        }
        hiLo[0] = hi;
        hiLo[1] = lo;
        return true;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
