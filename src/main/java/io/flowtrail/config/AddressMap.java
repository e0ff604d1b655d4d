package io.flowtrail.config;

import io.flowtrail.model.IpAddresses;

/**
 * Addresses (family and 128 bits) to values: open addressing over primitive arrays, so a lookup
 * allocates nothing. Built once; the first value put for an address is kept.
 */
final class AddressMap<V> {
    private final byte[] families;
    private final long[] his;
    private final long[] los;
    private final Object[] values;
    private final int mask;

    AddressMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
        families = new byte[capacity];
        his = new long[capacity];
        los = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    /** Puts unless the address is there already; returns the value kept. */
    @SuppressWarnings("unchecked")
    V putIfAbsent(byte family, long hi, long lo, V value) {
        int i = slot(family, hi, lo);
        while (values[i] != null) {
            if (families[i] == family && his[i] == hi && los[i] == lo) {
                return (V) values[i];
            }
            i = (i + 1) & mask;
        }
        families[i] = family;
        his[i] = hi;
        los[i] = lo;
        values[i] = value;
        return value;
    }

    @SuppressWarnings("unchecked")
    V get(byte family, long hi, long lo) {
        int i = slot(family, hi, lo);
        Object v;
        while ((v = values[i]) != null) {
            if (los[i] == lo && his[i] == hi && families[i] == family) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private int slot(byte family, long hi, long lo) {
        return (int) IpAddresses.hash(family, hi, lo) & mask;
    }
}
