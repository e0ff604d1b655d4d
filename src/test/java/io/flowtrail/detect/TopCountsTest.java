package io.flowtrail.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopCountsTest {
    @Test
    void countsAreExactUpToTheCapacityInAnyOrder() {
        TopCounts t = new TopCounts(64);
        Map<String, Long> truth = new HashMap<>();
        Random rnd = new Random(5);
        for (int i = 0; i < 5_000; i++) {
            String k = "10.0.0." + rnd.nextInt(60);
            t.add(k, 2);
            truth.merge(k, 2L, Long::sum);
        }
        assertThat(t.asMap()).isEqualTo(truth);
        assertThat(t.total()).isEqualTo(10_000);
    }

    @Test
    void aHeavyHitterAmongThousandsOfKeysIsKeptWithABoundedOverestimate() {
        TopCounts t = new TopCounts(256);
        long total = 0;
        for (int i = 0; i < 3_000; i++) {
            t.add("198.51.100." + i, 1);
            total++;
            if (i % 10 == 0) {
                t.add("203.0.113.66", 1);
                total++;
            }
        }
        assertThat(t.size).isEqualTo(256);
        assertThat(t.top()).isEqualTo("203.0.113.66");
        long kept = t.asMap().get("203.0.113.66");
        assertThat(kept).isBetween(300L, 300L + total / 256);
        assertThat(t.total()).isEqualTo(total);
    }

    @Test
    void mergingPartsEqualsAddingTheWholeWhileExact() {
        TopCounts whole = new TopCounts(32);
        TopCounts a = new TopCounts(32);
        TopCounts b = new TopCounts(32);
        for (int i = 0; i < 500; i++) {
            String k = "tcp/" + (i % 25);
            whole.add(k, i);
            (i % 2 == 0 ? a : b).add(k, i);
        }
        a.merge(b);
        assertThat(a.asMap()).isEqualTo(whole.asMap());
    }

    @Test
    void topIsTheLargestCountTiesByKeyAndNullWhenEmpty() {
        TopCounts t = new TopCounts(8);
        assertThat(t.top()).isNull();
        t.add("b", 3);
        t.add("c", 5);
        t.add("a", 5);
        assertThat(t.top()).isEqualTo("a");
        assertThat(t.max()).isEqualTo(5);
    }

    @Test
    void aCopyWithoutItsIndexLikeADeserializedOneStillFindsItsKeys() {
        TopCounts t = new TopCounts(16);
        for (int i = 0; i < 12; i++) {
            t.add("eni-" + i, i + 1);
        }
        TopCounts copy = new TopCounts();
        copy.keys = t.keys.clone();
        copy.counts = t.counts.clone();
        copy.size = t.size;
        copy.capacity = t.capacity;
        copy.add("eni-3", 10);
        copy.add("eni-new", 1);
        assertThat(copy.asMap().get("eni-3")).isEqualTo(14);
        assertThat(copy.size).isEqualTo(13);
    }

    /**
     * Beyond the capacity the index is updated in place on every eviction: the slots must be the
     * ones a plain Space-Saving with a linear search gives (same eviction, same counts), for a
     * stream of many more keys than slots, with keys coming back after they were evicted and hash
     * collisions between them.
     */
    @Test
    void evictionsKeepTheIndexInStepWithALinearSearchSpaceSaving() {
        Random rnd = new Random(11);
        TopCounts t = new TopCounts(64);
        String[] keys = new String[64];
        long[] counts = new long[64];
        int size = 0;
        for (int i = 0; i < 50_000; i++) {
            // "Aa" and "BB" have the same hash code: collisions are part of the stream.
            String k = (rnd.nextBoolean() ? "Aa" : "BB") + rnd.nextInt(i % 3 == 0 ? 40 : 600);
            long n = 1 + rnd.nextInt(3);
            t.add(k, n);
            int at = -1;
            for (int j = 0; j < size; j++) {
                if (keys[j].equals(k)) {
                    at = j;
                }
            }
            if (at >= 0) {
                counts[at] += n;
            } else if (size < 64) {
                keys[size] = k;
                counts[size++] = n;
            } else {
                int min = 0;
                for (int j = 1; j < size; j++) {
                    if (counts[j] < counts[min]) {
                        min = j;
                    }
                }
                keys[min] = k;
                counts[min] += n;
            }
        }
        assertThat(t.size).isEqualTo(64);
        assertThat(java.util.Arrays.copyOf(t.keys, 64)).containsExactly(keys);
        assertThat(java.util.Arrays.copyOf(t.counts, 64)).containsExactly(counts);
    }
}
