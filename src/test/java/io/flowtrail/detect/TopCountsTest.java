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
}
