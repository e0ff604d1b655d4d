package io.flowtrail.parse;

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
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + buf[i];
        }
        h ^= h >>> 16;
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
}
