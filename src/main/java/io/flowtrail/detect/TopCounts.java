package io.flowtrail.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The heaviest keys of a stream of (key, count), in bounded memory: Space-Saving with {@code
 * capacity} slots. Keys whose true count exceeds total/capacity are always kept, with counts that
 * may be overestimated by at most the smallest count kept. Enough for "top sources and ports" in
 * alert evidence. A Flink POJO (arrays, no maps), so it lives in keyed state without Kryo.
 */
public class TopCounts {
    public String[] keys;
    public long[] counts;
    public int size;

    public TopCounts() {}

    public TopCounts(int capacity) {
        keys = new String[capacity];
        counts = new long[capacity];
    }

    public void add(String key, long n) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                counts[i] += n;
                return;
            }
        }
        if (size < keys.length) {
            keys[size] = key;
            counts[size] = n;
            size++;
            return;
        }
        int min = 0;
        for (int i = 1; i < size; i++) {
            if (counts[i] < counts[min]) {
                min = i;
            }
        }
        keys[min] = key;
        counts[min] += n;
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

    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(keys[i], counts[i]);
        }
        return m;
    }
}
