package io.flowtrail.summary;

import io.flowtrail.model.IpAddresses;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A count of distinct 64-bit values (hashed addresses, ports) for one summary row.
 *
 * <p>Exact up to {@link #EXACT_LIMIT} values, in an open-addressing table of longs; beyond that it
 * becomes a HyperLogLog of 2^14 registers, whose standard error is 1.04/√16384 = 0.81% (so 95% of
 * counts are within 1.6%, under the 2% the tables promise). Addresses are hashed to 64 bits before
 * they get here; two addresses colliding in 64 bits is negligible at these sizes.
 *
 * <p>Serialized by {@link DistinctCountSerializer} (its values only, not its table), so it crosses
 * the shuffle and lives in window state without reflection or Kryo. Memory per row: at most 8 × 2 ×
 * 65,536 bytes in exact mode, 16 KiB as a sketch.
 *
 * <p>A set read back by the serializer keeps its values packed, one after the other, until
 * something is added to it: most rows of a window have a single partial row, whose sets are only
 * counted and serialized again, so building their tables would be wasted.
 */
@TypeInfo(DistinctCount.Type.class)
public class DistinctCount {
    public static final int EXACT_LIMIT = 65_536;
    private static final int P = 14;
    static final int REGISTERS = 1 << P;

    /**
     * Open addressing; 0 marks an empty slot (a value of 0 is stored as {@link #ZERO}). When {@link
     * #packed}, the {@link #size} values one after the other instead.
     */
    public long[] slots;

    public int size;

    /** Whether {@link #slots} holds the values packed (as read back), not as a table. */
    boolean packed;

    /** HyperLogLog registers once the exact set grew past its limit; null before. */
    public byte[] registers;

    private static final long ZERO = 0x9E3779B97F4A7C15L;

    public DistinctCount() {}

    /** A deep copy. */
    public DistinctCount copy() {
        DistinctCount c = new DistinctCount();
        c.size = size;
        c.packed = packed;
        c.slots = slots == null ? null : slots.clone();
        c.registers = registers == null ? null : registers.clone();
        return c;
    }

    /**
     * An exact set of {@code values} as stored (non-zero, distinct), read back by the serializer:
     * kept packed until something is added.
     */
    static DistinctCount packed(long[] values) {
        DistinctCount d = new DistinctCount();
        if (values.length > 0) {
            d.slots = values;
            d.size = values.length;
            d.packed = true;
        }
        return d;
    }

    /** Turns packed values into a table, before the first value is added. */
    private void unpack() {
        long[] values = slots;
        int capacity = 16;
        while (capacity < 2 * values.length) {
            capacity <<= 1;
        }
        slots = new long[capacity];
        int mask = capacity - 1;
        for (long v : values) {
            int i = (int) IpAddresses.mix64(v) & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = v;
        }
        packed = false;
    }

    public void add(long value) {
        if (registers != null) {
            addToSketch(value);
            return;
        }
        if (packed) {
            unpack();
        }
        if (value == 0) {
            value = ZERO;
        }
        if (slots == null) {
            slots = new long[16];
        }
        int mask = slots.length - 1;
        int i = (int) IpAddresses.mix64(value) & mask;
        while (true) {
            long s = slots[i];
            if (s == value) {
                return;
            }
            if (s == 0) {
                break;
            }
            i = (i + 1) & mask;
        }
        slots[i] = value;
        size++;
        if (size > EXACT_LIMIT) {
            toSketch();
        } else if (size * 2 > slots.length) {
            grow();
        }
    }

    public void merge(DistinctCount other) {
        if (other.registers != null) {
            if (registers == null) {
                toSketch();
            }
            for (int i = 0; i < REGISTERS; i++) {
                if (other.registers[i] > registers[i]) {
                    registers[i] = other.registers[i];
                }
            }
            return;
        }
        if (other.slots != null) {
            // A table's empty slots are 0; packed values never are.
            for (long v : other.slots) {
                if (v != 0) {
                    add(v);
                }
            }
        }
    }

    public long count() {
        if (registers == null) {
            return size;
        }
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double m = REGISTERS;
        double alpha = 0.7213 / (1 + 1.079 / m);
        double estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0) {
            estimate = m * Math.log(m / zeros); // linear counting for small counts
        }
        return Math.round(estimate);
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long v : old) {
            if (v != 0) {
                int i = (int) IpAddresses.mix64(v) & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = v;
            }
        }
    }

    private void toSketch() {
        registers = new byte[REGISTERS];
        long[] old = slots;
        slots = null;
        size = 0;
        packed = false;
        if (old != null) {
            for (long v : old) {
                if (v != 0) {
                    addToSketch(v);
                }
            }
        }
    }

    private void addToSketch(long value) {
        long h = IpAddresses.mix64(value);
        int index = (int) (h >>> (64 - P));
        long rest = (h << P) | (1L << (P - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
        if (rank > registers[index]) {
            registers[index] = rank;
        }
    }

    /** Flink's type for distinct sets: {@link DistinctCountSerializer}. */
    public static final class Type extends TypeInfoFactory<DistinctCount> {
        @Override
        public TypeInformation<DistinctCount> createTypeInfo(
                java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(DistinctCount.class, DistinctCountSerializer.INSTANCE);
        }
    }
}
