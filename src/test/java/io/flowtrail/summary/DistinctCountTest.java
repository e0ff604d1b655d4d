package io.flowtrail.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flowtrail.model.IpAddresses;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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

    /** A set as the serializer reads it back: its values packed, no table. */
    private static DistinctCount readBack(DistinctCount d) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        DistinctCountSerializer.INSTANCE.serialize(d, out);
        return DistinctCountSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static DistinctCount of(long from, long to) {
        DistinctCount c = new DistinctCount();
        for (long v = from; v < to; v++) {
            c.add(v);
        }
        return c;
    }

    @Test
    void aSetReadBackCountsAddsAndMergesLikeTheSetItWas() throws Exception {
        DistinctCount packed = readBack(of(0, 1000));
        assertThat(packed.packed).isTrue();
        assertThat(packed.count()).isEqualTo(1000);
        assertThat(readBack(packed).count()).as("written again while packed").isEqualTo(1000);

        DistinctCount copy = packed.copy();
        copy.add(999); // already there
        copy.add(1000);
        assertThat(copy.count()).isEqualTo(1001);
        assertThat(packed.count()).as("the copy is its own").isEqualTo(1000);

        DistinctCount into = readBack(of(500, 1500));
        into.merge(packed);
        assertThat(into.count()).as("packed into packed").isEqualTo(1500);
        DistinctCount from = of(900, 1100);
        from.merge(readBack(of(0, 1000)));
        assertThat(from.count()).as("packed into a table").isEqualTo(1100);

        DistinctCount zero = readBack(of(0, 1));
        zero.add(0);
        assertThat(zero.count()).as("0, stored under its stand-in").isEqualTo(1);
        assertThat(readBack(new DistinctCount()).count()).isZero();

        DistinctCount full = readBack(of(0, DistinctCount.EXACT_LIMIT));
        full.add(-1);
        assertThat(full.registers).as("past the limit, a sketch").isNotNull();
        assertThat((double) full.count())
                .isCloseTo(DistinctCount.EXACT_LIMIT + 1, within(DistinctCount.EXACT_LIMIT * 0.02));
    }

    @Test
    void aSetReadBackMergesWithASketchEitherWayAndWithItself() throws Exception {
        DistinctCount sketch = new DistinctCount();
        for (long v = 0; v < 100_000; v++) {
            sketch.add(v);
        }
        DistinctCount packed = readBack(of(99_000, 101_000));
        packed.merge(sketch);
        assertThat(packed.registers).isNotNull();
        assertThat((double) packed.count()).isCloseTo(101_000, within(101_000 * 0.02));

        DistinctCount sketch2 = sketch.copy();
        sketch2.merge(readBack(of(99_000, 101_000)));
        assertThat((double) sketch2.count()).isCloseTo(101_000, within(101_000 * 0.02));

        DistinctCount self = readBack(of(0, 100));
        self.merge(self);
        assertThat(self.count()).isEqualTo(100);

        DistinctCount crossing = readBack(of(0, DistinctCount.EXACT_LIMIT - 10));
        crossing.merge(
                readBack(of(DistinctCount.EXACT_LIMIT - 20, DistinctCount.EXACT_LIMIT + 20)));
        assertThat(crossing.registers).as("past the limit in the middle of a merge").isNotNull();
        assertThat((double) crossing.count())
                .isCloseTo(
                        DistinctCount.EXACT_LIMIT + 20, within(DistinctCount.EXACT_LIMIT * 0.02));
    }

    @Test
    void aCorruptValueCountIsRefusedNotAllocated() {
        for (int n : new int[] {-1, DistinctCount.EXACT_LIMIT + 1}) {
            DataOutputSerializer out = new DataOutputSerializer(8);
            try {
                out.writeByte(0); // exact
                out.writeInt(n);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertThatThrownBy(
                            () ->
                                    DistinctCountSerializer.INSTANCE.deserialize(
                                            new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("corrupt distinct count: " + n);
        }
    }
}
