package io.flowtrail.model;

/**
 * One IPv4 or IPv6 address as numbers, the same way {@link FlowRecord} holds them: a family ({@link
 * IpAddresses#V4} or {@link IpAddresses#V6}) and 128 bits in two longs, an IPv4 address in the low
 * 32 bits of {@code lo}. Used by the configuration model, where addresses arrive as text.
 */
public record IpAddress(byte family, long hi, long lo) {

    public IpAddress {
        if (family != IpAddresses.V4 && family != IpAddresses.V6) {
            throw new IllegalArgumentException("family must be V4 or V6, got " + family);
        }
        if (family == IpAddresses.V4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("an IPv4 address has 32 bits");
        }
    }

    /** Parses a dotted quad or an IPv6 address (RFC 4291 text forms, {@code ::}, embedded IPv4). */
    public static IpAddress parse(String text) {
        IpAddress address = tryParse(text);
        if (address == null) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + text);
        }
        return address;
    }

    /** Like {@link #parse} but {@code null} for text that is not an address. */
    public static IpAddress tryParse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        long v4 = ipv4(text, 0, text.length());
        return v4 < 0 ? null : new IpAddress(IpAddresses.V4, 0, v4);
    }

    public boolean isV4() {
        return family == IpAddresses.V4;
    }

    @Override
    public String toString() {
        return IpAddresses.format(family, hi, lo);
    }

    /**
     * Dotted quad in {@code s[from, to)}, each part 0-255 without sign; {@code -1} when not one.
     */
    static long ipv4(String s, int from, int to) {
        long v = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < to && s.charAt(i) != '.') {
                int d = s.charAt(i) - '0';
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
            i++;
            if (parts == 4) {
                return -1;
            }
        }
        return parts == 4 ? v : -1;
    }

    private static IpAddress ipv6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int to = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < to) {
            if (count == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            boolean dot = false;
            while (i < to && s.charAt(i) != ':') {
                if (s.charAt(i) == '.') {
                    dot = true;
                    break;
                }
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0 || i - start >= 4) {
                    return null;
                }
                value = (value << 4) | d;
                i++;
            }
            if (dot) {
                if (count > 6) {
                    return null;
                }
                long v4 = ipv4(s, start, to);
                if (v4 < 0) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                break;
            }
            if (i == start) {
                return null;
            }
            groups[count++] = value;
            if (i == to) {
                break;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            } else if (i == to) {
                return null;
            }
        }
        if (gap < 0 && count != 8) {
            return null;
        }
        if (gap >= 0) {
            if (count == 8) {
                return null;
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
        return new IpAddress(IpAddresses.V6, hi, lo);
    }
}
