package io.flowtrail.model;

/**
 * An IPv4 or IPv6 CIDR block as numbers: family, the network address (host bits cleared) in {@code
 * hi}/{@code lo} as in {@link IpAddress}, and the prefix length.
 */
public record Cidr(byte family, long hi, long lo, int prefixLength) {

    public static final Cidr ALL_IPV4 = new Cidr(IpAddresses.V4, 0, 0, 0);
    public static final Cidr ALL_IPV6 = new Cidr(IpAddresses.V6, 0, 0, 0);

    public Cidr {
        int max = family == IpAddresses.V4 ? 32 : family == IpAddresses.V6 ? 128 : -1;
        if (max < 0) {
            throw new IllegalArgumentException("family must be V4 or V6, got " + family);
        }
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLength + " out of 0-" + max);
        }
        hi &= hiMask(family, prefixLength);
        lo &= loMask(family, prefixLength);
    }

    /** Parses {@code address/length}; host bits set in the address are cleared, as AWS does. */
    public static Cidr parse(String text) {
        Cidr cidr = tryParse(text);
        if (cidr == null) {
            throw new IllegalArgumentException("not a CIDR block: " + text);
        }
        return cidr;
    }

    /** Like {@link #parse} but {@code null} for text that is not a CIDR block. */
    public static Cidr tryParse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.length() - slash > 4) {
            return null;
        }
        IpAddress address = IpAddress.tryParse(text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int length = 0;
        for (int i = slash + 1; i < text.length(); i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            length = length * 10 + d;
        }
        if (length > (address.isV4() ? 32 : 128)) {
            return null;
        }
        return new Cidr(address.family(), address.hi(), address.lo(), length);
    }

    /** The block that holds exactly this address. */
    public static Cidr of(IpAddress address) {
        return new Cidr(address.family(), address.hi(), address.lo(), address.isV4() ? 32 : 128);
    }

    public boolean isV4() {
        return family == IpAddresses.V4;
    }

    /** {@code 0.0.0.0/0} or {@code ::/0}. */
    public boolean isEverything() {
        return prefixLength == 0;
    }

    public boolean contains(byte family, long hi, long lo) {
        return family == this.family
                && (hi & hiMask(family, prefixLength)) == this.hi
                && (lo & loMask(family, prefixLength)) == this.lo;
    }

    public boolean contains(IpAddress address) {
        return contains(address.family(), address.hi(), address.lo());
    }

    /** Every address of {@code other} is in this block. */
    public boolean covers(Cidr other) {
        return other.family == family
                && other.prefixLength >= prefixLength
                && contains(other.family, other.hi, other.lo);
    }

    /** The two blocks share at least one address (one of them covers the other). */
    public boolean overlaps(Cidr other) {
        return covers(other) || other.covers(this);
    }

    /** The mask of the high 64 bits (all zero for IPv4). */
    public long hiMask() {
        return hiMask(family, prefixLength);
    }

    /** The mask of the low 64 bits (the low 32 for IPv4). */
    public long loMask() {
        return loMask(family, prefixLength);
    }

    /** High 64 bits of the last address of the block. */
    public long lastHi() {
        return hi | ~hiMask(family, prefixLength);
    }

    /** Low 64 bits of the last address of the block. */
    public long lastLo() {
        long mask = loMask(family, prefixLength);
        return family == IpAddresses.V4 ? lo | (~mask & 0xFFFFFFFFL) : lo | ~mask;
    }

    @Override
    public String toString() {
        return IpAddresses.format(family, hi, lo) + "/" + prefixLength;
    }

    static long hiMask(byte family, int prefixLength) {
        if (family == IpAddresses.V4) {
            return 0;
        }
        if (prefixLength >= 64) {
            return -1L;
        }
        return prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
    }

    static long loMask(byte family, int prefixLength) {
        if (family == IpAddresses.V4) {
            return prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
        }
        if (prefixLength <= 64) {
            return 0;
        }
        return prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
    }
}
