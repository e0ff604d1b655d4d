package io.flowtrail.detect;

import java.util.Arrays;
import java.util.Map;

/**
 * The heaviest keys of a stream of (key, count), in bounded memory, for the "top sources, ports,
 * destinations" of alert evidence. Exact while there are at most {@code capacity} distinct keys;
 * beyond that, Space-Saving: a new key takes the slot of the smallest count and inherits it, so a
 * key whose true count exceeds total/capacity is always kept, and a kept count overestimates by at
 * most the smallest count kept. A hash index makes an add O(1) while exact; beyond the capacity a
 * new key pays one scan for the smallest count, and the index is updated in place.
 *
 * <p>A Flink POJO (arrays, no maps), so it lives in keyed state without Kryo; the index is rebuilt
 * after deserialization. The arrays start small and grow up to {@code capacity}.
 */
public class TopCounts {
    public String[] keys;
    public long[] counts;
    public int size;
    public int capacity;

    /**
     * Open addressing over the keys' hash codes: a position in {@link #keys} plus one, 0 = free.
     */
    private transient int[] index;

    public TopCounts() {}

    public TopCounts(int capacity) {
        this.capacity = capacity;
        int initial = Math.min(capacity, 8);
        keys = new String[initial];
        counts = new long[initial];
    }

    public void add(String key, long n) {
        int at = find(key);
        if (at >= 0) {
            counts[at] += n;
            return;
        }
        int limit = capacity > 0 ? capacity : keys.length;
        if (size < limit) {
            if (size == keys.length) {
                int grown = Math.min(limit, keys.length * 2);
                keys = Arrays.copyOf(keys, grown);
                counts = Arrays.copyOf(counts, grown);
                index = null;
            }
            keys[size] = key;
            counts[size] = n;
            size++;
            if (index != null && size * 2 <= index.length) {
                insert(index, size - 1);
            } else {
                index = null;
            }
            return;
        }
        int min = 0;
        for (int i = 1; i < size; i++) {
            if (counts[i] < counts[min]) {
                min = i;
            }
        }
        // find() above built the index; the evicted key leaves it and the new one takes its slot.
        unindex(min);
        keys[min] = key;
        counts[min] += n;
        insert(index, min);
    }

    /** Adds the counts of another summary (of the same stream's other part). */
    public void merge(TopCounts other) {
        for (int i = 0; i < other.size; i++) {
            add(other.keys[i], other.counts[i]);
        }
    }

    public long total() {
        long t = 0;
        for (int i = 0; i < size; i++) {
            t += counts[i];
        }
        return t;
    }

    /** The largest count kept, or 0. */
    public long max() {
        long m = 0;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, counts[i]);
        }
        return m;
    }

    /** The key with the largest count (ties: the smallest key), or null when empty. */
    public String top() {
        return DetectorSupport.top(keys, counts, size);
    }

    public Map<String, Long> asMap() {
        return DetectorSupport.asMap(keys, counts, size);
    }

    private int find(String key) {
        if (index == null) {
            rebuild();
        }
        int mask = index.length - 1;
        int h = key.hashCode();
        for (int s = spread(h) & mask; index[s] != 0; s = (s + 1) & mask) {
            int at = index[s] - 1;
            if (keys[at].hashCode() == h && keys[at].equals(key)) {
                return at;
            }
        }
        return -1;
    }

    private void rebuild() {
        int n = 16;
        while (n < 2 * Math.max(size, keys.length)) {
            n <<= 1;
        }
        index = new int[n];
        for (int i = 0; i < size; i++) {
            insert(index, i);
        }
    }

    private void insert(int[] table, int at) {
        int mask = table.length - 1;
        int s = spread(keys[at].hashCode()) & mask;
        while (table[s] != 0) {
            s = (s + 1) & mask;
        }
        table[s] = at + 1;
    }

    /**
     * Removes position {@code at} from the index: linear probing's backward-shift deletion, which
     * moves each following entry of the run into the hole when the hole lies between the entry's
     * home slot and its slot, so no lookup ever stops early.
     */
    private void unindex(int at) {
        int mask = index.length - 1;
        int hole = spread(keys[at].hashCode()) & mask;
        while (index[hole] != at + 1) {
            hole = (hole + 1) & mask;
        }
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int home = spread(keys[index[j] - 1].hashCode()) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
