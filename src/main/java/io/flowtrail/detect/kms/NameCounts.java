package io.flowtrail.detect.kms;

import io.flowtrail.detect.DetectorSupport;
import java.util.Map;

/**
 * Exact counts per name (session, source address, event name) for at most {@code capacity} names,
 * whatever order they arrive in: when there are more names, the ones kept are those with the
 * smallest {@link KmsCalls#hash64 hashes}. A name among the smallest hashes overall was among the
 * smallest of every prefix of the input, so it entered at its first arrival and was never evicted:
 * its count is exact, and the set kept is the same in BATCH and STREAMING. The calls of names not
 * kept are counted in {@link #dropped}. A Flink POJO (arrays only).
 */
public class NameCounts {
    public String[] names;
    public long[] hashes;
    public long[] counts;
    public int size;

    /** Calls of names that were not kept (evicted, or never admitted). */
    public long dropped;

    /** More names arrived than are kept: {@link #distinct()} is then a lower bound. */
    public boolean overflowed;

    public NameCounts() {}

    public NameCounts(int capacity) {
        names = new String[capacity];
        hashes = new long[capacity];
        counts = new long[capacity];
    }

    public void add(String name, long n) {
        long h = KmsCalls.hash64(name);
        int largest = -1;
        for (int i = 0; i < size; i++) {
            if (hashes[i] == h && names[i].equals(name)) {
                counts[i] += n;
                return;
            }
            if (largest < 0 || greater(i, largest)) {
                largest = i;
            }
        }
        if (size < names.length) {
            names[size] = name;
            hashes[size] = h;
            counts[size] = n;
            size++;
            return;
        }
        overflowed = true;
        if (largest >= 0 && before(h, name, hashes[largest], names[largest])) {
            dropped += counts[largest];
            names[largest] = name;
            hashes[largest] = h;
            counts[largest] = n;
        } else {
            dropped += n;
        }
    }

    private boolean greater(int i, int j) {
        return before(hashes[j], names[j], hashes[i], names[i]);
    }

    private static boolean before(long h1, String n1, long h2, String n2) {
        int c = Long.compareUnsigned(h1, h2);
        return c < 0 || (c == 0 && n1.compareTo(n2) < 0);
    }

    /** The count of a name, 0 if absent (or not kept). */
    public long count(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return counts[i];
            }
        }
        return 0;
    }

    /** Distinct names kept: all of them unless {@link #overflowed}. */
    public int distinct() {
        return size;
    }

    /** The name with the largest count, ties by name; null when empty. */
    public String top() {
        return DetectorSupport.top(names, counts, size);
    }

    /** The only name, or null when there are none or several. */
    public String only() {
        return size == 1 && !overflowed ? names[0] : null;
    }

    public Map<String, Long> asMap() {
        return DetectorSupport.asMap(names, counts, size);
    }
}
