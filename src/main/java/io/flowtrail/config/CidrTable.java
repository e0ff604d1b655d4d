package io.flowtrail.config;

import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddresses;
import java.util.Arrays;

/**
 * Longest-prefix match from CIDR blocks to values: a binary trie per family (at most 32 steps for
 * IPv4, 128 for IPv6, no allocation per lookup). Used for subnets by address and routes.
 */
final class CidrTable<T> {
    private static final int ROOT4 = 0;
    private static final int ROOT6 = 1;

    private int[] zero = new int[64];
    private int[] one = new int[64];
    private Object[] values = new Object[64];
    private int nodes = 2;

    /** Maps the block to the value; a later put for the same block replaces the earlier one. */
    void put(Cidr cidr, T value) {
        int node = cidr.isV4() ? ROOT4 : ROOT6;
        for (int i = 0; i < cidr.prefixLength(); i++) {
            int bit = bit(cidr.family(), cidr.hi(), cidr.lo(), i);
            int[] children = bit == 0 ? zero : one;
            int child = children[node];
            if (child == 0) {
                child = newNode();
                children = bit == 0 ? zero : one; // grown by newNode
                children[node] = child;
            }
            node = child;
        }
        values[node] = value;
    }

    /** The value of the longest block that holds the address, or {@code null}. */
    @SuppressWarnings("unchecked")
    T get(byte family, long hi, long lo) {
        int bits;
        int node;
        if (family == IpAddresses.V4) {
            bits = 32;
            node = ROOT4;
        } else if (family == IpAddresses.V6) {
            bits = 128;
            node = ROOT6;
        } else {
            return null;
        }
        Object best = values[node];
        for (int i = 0; i < bits; i++) {
            int child = bit(family, hi, lo, i) == 0 ? zero[node] : one[node];
            if (child == 0) {
                break;
            }
            node = child;
            if (values[node] != null) {
                best = values[node];
            }
        }
        return (T) best;
    }

    private int newNode() {
        if (nodes == zero.length) {
            int size = nodes * 2;
            zero = Arrays.copyOf(zero, size);
            one = Arrays.copyOf(one, size);
            values = Arrays.copyOf(values, size);
        }
        return nodes++;
    }

    private static int bit(byte family, long hi, long lo, int i) {
        if (family == IpAddresses.V4) {
            return (int) (lo >>> (31 - i)) & 1;
        }
        return i < 64 ? (int) (hi >>> (63 - i)) & 1 : (int) (lo >>> (127 - i)) & 1;
    }
}
