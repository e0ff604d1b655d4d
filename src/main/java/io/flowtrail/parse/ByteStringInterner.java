package io.flowtrail.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns byte ranges into {@link String}s, handing back the same instance for the same bytes.
 * Identifiers (interface, account, VPC, subnet ids, regions, service names) repeat on nearly every
 * record, so the per-record path allocates no string once a value has been seen.
 *
 * <p>Open addressing over a fixed table; when it fills up it is cleared rather than grown, so a
 * file with millions of distinct values (ECS task ARNs, say) costs allocation, never unbounded
 * memory. Not thread-safe: one per reader.
 */
public final class ByteStringInterner {
    private final int capacity;
    private final String[] strings;
    private final byte[][] keys;
    private final int[] hashes;
    private int size;

    public ByteStringInterner(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two");
        }
        this.capacity = capacityPowerOfTwo;
        this.strings = new String[capacityPowerOfTwo];
        this.keys = new byte[capacityPowerOfTwo][];
        this.hashes = new int[capacityPowerOfTwo];
    }

    public String intern(byte[] buf, int from, int to) {
        int h = hash(buf, from, to);
        int mask = capacity - 1;
        int slot = h & mask;
        while (true) {
            byte[] key = keys[slot];
            if (key == null) {
                break;
            }
            if (hashes[slot] == h && Arrays.equals(key, 0, key.length, buf, from, to)) {
                return strings[slot];
            }
            slot = (slot + 1) & mask;
        }
        if (size >= capacity / 2) {
            Arrays.fill(keys, null);
            Arrays.fill(strings, null);
            size = 0;
            slot = h & mask;
        }
        byte[] key = Arrays.copyOfRange(buf, from, to);
        String s = new String(key, StandardCharsets.UTF_8);
        keys[slot] = key;
        strings[slot] = s;
        hashes[slot] = h;
        size++;
        return s;
    }

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * A hash of the bytes read eight at a time (identifiers are 8 to 30 bytes: two to four reads
     * instead of a multiply per byte), the last eight overlapping the ones before, then mixed so
     * that the low bits, which pick the slot, depend on every byte.
     */
    static int hash(byte[] b, int from, int to) {
        int n = to - from;
        long h = n * 0x9E3779B97F4A7C15L;
        if (n >= 8) {
            int i = from;
            for (; i + 8 <= to; i += 8) {
                h = (h ^ (long) LONGS.get(b, i)) * 0xC2B2AE3D27D4EB4FL;
                h ^= h >>> 31;
            }
            if (i < to) {
                h = (h ^ (long) LONGS.get(b, to - 8)) * 0xC2B2AE3D27D4EB4FL;
            }
        } else {
            for (int i = from; i < to; i++) {
                h = (h ^ (b[i] & 0xff)) * 0x100000001B3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
