package io.flowtrail.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flowtrail.model.IpAddresses;
import org.junit.jupiter.api.Test;

class DistinctCountTest {
    @Test
    void countsExactlyUpToTheLimit() {
        DistinctCount c = new DistinctCount();
        for (int round = 0; round < 3; round++) {
            for (long v = 0; v < DistinctCount.EXACT_LIMIT; v++) {
                c.add(IpAddresses.hash(IpAddresses.V4, 0, v));
            }
        }
        assertThat(c.registers).isNull();
        assertThat(c.count()).isEqualTo(DistinctCount.EXACT_LIMIT);
    }

    @Test
    void zeroIsAValueLikeAnyOther() {
        DistinctCount c = new DistinctCount();
        c.add(0);
        c.add(0);
        c.add(1);
        assertThat(c.count()).isEqualTo(2);
    }

    @Test
    void estimatesWithinTwoPercentBeyondTheLimit() {
        for (long n : new long[] {70_000, 200_000, 1_000_000}) {
            DistinctCount c = new DistinctCount();
            for (long v = 0; v < n; v++) {
                c.add(IpAddresses.hash(IpAddresses.V4, 0, v));
            }
            assertThat(c.registers).isNotNull();
            assertThat((double) c.count()).as("n=%d", n).isCloseTo(n, within(n * 0.02));
        }
    }

    @Test
    void mergingExactSetsCountsTheUnion() {
        DistinctCount a = new DistinctCount();
        DistinctCount b = new DistinctCount();
        for (long v = 0; v < 1000; v++) {
            a.add(v);
            b.add(v + 500);
        }
        a.merge(b);
        assertThat(a.count()).isEqualTo(1500);
    }

    @Test
    void mergingASketchIntoAnExactSetEstimatesTheUnion() {
        DistinctCount exact = new DistinctCount();
        DistinctCount sketch = new DistinctCount();
        for (long v = 0; v < 100_000; v++) {
            sketch.add(IpAddresses.hash(IpAddresses.V4, 0, v));
        }
        for (long v = 90_000; v < 110_000; v++) {
            exact.add(IpAddresses.hash(IpAddresses.V4, 0, v));
        }
        exact.merge(sketch);
        assertThat((double) exact.count()).isCloseTo(110_000, within(110_000 * 0.02));
    }
}
