package io.flowtrail.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the writers of the generator's hot path: decimal numbers, IPv4 and
 * IPv6 addresses, constant byte strings. No {@code String} and no {@code String.format} per record:
 * formatting ten million records this way costs about a second.
 */
final class ByteBuf {
    private static final byte[][] OCTETS = new byte[256][];
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int i = 0; i < 256; i++) {
            OCTETS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private byte[] a;
    private int n;
    private final byte[] digits = new byte[20];

    ByteBuf(int capacity) {
        a = new byte[Math.max(16, capacity)];
    }

    int size() {
        return n;
    }

    byte[] array() {
        return a;
    }

    void reset() {
        n = 0;
    }

    private void ensure(int more) {
        if (n + more > a.length) {
            a = Arrays.copyOf(a, Math.max(a.length * 2, n + more));
        }
    }

    ByteBuf put(byte b) {
        ensure(1);
        a[n++] = b;
        return this;
    }

    ByteBuf put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, a, n, bytes.length);
        n += bytes.length;
        return this;
    }

    ByteBuf sp() {
        return put((byte) ' ');
    }

    ByteBuf dec(long v) {
        ensure(21);
        if (v < 0) {
            a[n++] = '-';
            if (v == Long.MIN_VALUE) {
                return put("9223372036854775808".getBytes(StandardCharsets.US_ASCII));
            }
            v = -v;
        }
        if (v < 10) {
            a[n++] = (byte) ('0' + v);
            return this;
        }
        int i = digits.length;
        while (v > 0) {
            long q = v / 10;
            digits[--i] = (byte) ('0' + (v - q * 10));
            v = q;
        }
        int len = digits.length - i;
        System.arraycopy(digits, i, a, n, len);
        n += len;
        return this;
    }

    /** An IPv4 address held in the low 32 bits of {@code v4}. */
    ByteBuf ipv4(long v4) {
        ensure(15);
        octet((int) (v4 >>> 24) & 0xff);
        a[n++] = '.';
        octet((int) (v4 >>> 16) & 0xff);
        a[n++] = '.';
        octet((int) (v4 >>> 8) & 0xff);
        a[n++] = '.';
        octet((int) v4 & 0xff);
        return this;
    }

    private void octet(int o) {
        byte[] d = OCTETS[o];
        for (byte b : d) {
            a[n++] = b;
        }
    }

    /** An IPv6 address in the RFC 5952 form: lower case, longest run of zero groups as ::. */
    ByteBuf ipv6(long hi, long lo) {
        ensure(40);
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                a[n++] = ':';
                if (i == 0) {
                    a[n++] = ':';
                }
                i += bestLen - 1;
                continue;
            }
            hexGroup(g[i]);
            if (i < 7) {
                a[n++] = ':';
            }
        }
        return this;
    }

    private void hexGroup(int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xf;
            if (d != 0 || started || shift == 0) {
                a[n++] = HEX[d];
                started = true;
            }
        }
    }

    ByteBuf address(byte family, long hi, long lo) {
        return family == Ip.V4 ? ipv4(lo) : ipv6(hi, lo);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(a, 0, n);
    }

    @Override
    public String toString() {
        return new String(a, 0, n, StandardCharsets.US_ASCII);
    }
}
