package io.flowtrail.summary;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@link DistinctCount} as its values only: a tag byte, then the count and the values of an exact
 * set (8 bytes each, not the empty slots of its table), or the 16 KiB of a sketch's registers.
 */
public final class DistinctCountSerializer extends TypeSerializerSingleton<DistinctCount> {
    private static final long serialVersionUID = 1L;
    public static final DistinctCountSerializer INSTANCE = new DistinctCountSerializer();

    private static final byte EXACT = 0;
    private static final byte SKETCH = 1;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public DistinctCount createInstance() {
        return new DistinctCount();
    }

    @Override
    public DistinctCount copy(DistinctCount from) {
        return from.copy();
    }

    @Override
    public DistinctCount copy(DistinctCount from, DistinctCount reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DistinctCount d, DataOutputView out) throws IOException {
        if (d.registers != null) {
            out.writeByte(SKETCH);
            out.write(d.registers);
            return;
        }
        out.writeByte(EXACT);
        out.writeInt(d.size);
        if (d.slots != null) {
            for (long v : d.slots) {
                if (v != 0) {
                    out.writeLong(v);
                }
            }
        }
    }

    @Override
    public DistinctCount deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        if (tag == SKETCH) {
            DistinctCount d = new DistinctCount();
            d.registers = new byte[DistinctCount.REGISTERS];
            in.readFully(d.registers);
            return d;
        }
        if (tag != EXACT) {
            throw new IOException("corrupt distinct count: tag " + tag);
        }
        int n = in.readInt();
        if (n < 0 || n > DistinctCount.EXACT_LIMIT) {
            throw new IOException("corrupt distinct count: " + n + " exact values");
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return DistinctCount.packed(values);
    }

    @Override
    public DistinctCount deserialize(DistinctCount reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        byte tag = in.readByte();
        out.writeByte(tag);
        if (tag == SKETCH) {
            byte[] registers = new byte[DistinctCount.REGISTERS];
            in.readFully(registers);
            out.write(registers);
        } else {
            int n = in.readInt();
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeLong(in.readLong());
            }
        }
    }

    @Override
    public TypeSerializerSnapshot<DistinctCount> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DistinctCount> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
