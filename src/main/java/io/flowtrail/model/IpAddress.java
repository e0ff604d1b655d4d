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
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        long[] hiLo = new long[2];
        byte family = IpAddresses.parse(b, 0, b.length, hiLo, new int[8]);
        return family == IpAddresses.NONE ? null : new IpAddress(family, hiLo[0], hiLo[1]);
    }

    public boolean isV4() {
        return family == IpAddresses.V4;
    }

    @Override
    public String toString() {
        return IpAddresses.format(family, hi, lo);
    }
}
