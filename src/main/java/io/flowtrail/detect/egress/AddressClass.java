package io.flowtrail.detect.egress;

import io.flowtrail.model.IpAddresses;

/**
 * Which addresses are outside every private space: not RFC 1918, shared (100.64/10), loopback,
 * link-local, multicast or unique-local IPv6. Documentation ranges count as external, as the
 * internet addresses of examples and samples are drawn from them.
 */
public final class AddressClass {
    private AddressClass() {}

    public static boolean isExternal(byte family, long hi, long lo) {
        if (family == IpAddresses.V4) {
            long a = (lo >>> 24) & 0xff;
            long b = (lo >>> 16) & 0xff;
            return !(a == 10
                    || a == 127
                    || a == 0
                    || (a == 172 && b >= 16 && b <= 31)
                    || (a == 192 && b == 168)
                    || (a == 100 && b >= 64 && b <= 127)
                    || (a == 169 && b == 254)
                    || a >= 224);
        }
        if (family == IpAddresses.V6) {
            int first = (int) (hi >>> 48) & 0xffff;
            boolean loopbackOrUnspecified = hi == 0 && (lo == 0 || lo == 1);
            boolean mapped = hi == 0 && (lo >>> 32) == 0xffffL;
            if (mapped) {
                return isExternal(IpAddresses.V4, 0, lo & 0xffffffffL);
            }
            return !(loopbackOrUnspecified
                    || (first & 0xfe00) == 0xfc00 // unique local
                    || (first & 0xffc0) == 0xfe80 // link local
                    || (first & 0xff00) == 0xff00); // multicast
        }
        return false;
    }
}
