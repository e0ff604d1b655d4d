package io.flowtrail.summary;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A {@link PartialSummary} field by field: the key's strings and numbers, the totals and their
 * distinct sets ({@link DistinctCountSerializer}), then the chained rows, each behind a presence
 * byte.
 */
public final class PartialSummarySerializer extends TypeSerializerSingleton<PartialSummary> {
    private static final long serialVersionUID = 1L;
    public static final PartialSummarySerializer INSTANCE = new PartialSummarySerializer();

    private static final DistinctCountSerializer SETS = DistinctCountSerializer.INSTANCE;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public PartialSummary createInstance() {
        return new PartialSummary();
    }

    @Override
    public PartialSummary copy(PartialSummary from) {
        PartialSummary c = new PartialSummary();
        if (from.key != null) {
            c.key = from.key.copy();
        }
        if (from.totals != null) {
            c.totals = from.totals.copy();
        }
        if (from.next != null) {
            c.next = copy(from.next);
        }
        return c;
    }

    @Override
    public PartialSummary copy(PartialSummary from, PartialSummary reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PartialSummary p, DataOutputView out) throws IOException {
        for (PartialSummary row = p; row != null; row = row.next) {
            out.writeBoolean(true);
            writeRow(row, out);
        }
        out.writeBoolean(false);
    }

    private static void writeRow(PartialSummary row, DataOutputView out) throws IOException {
        SummaryKey k = row.key;
        out.writeBoolean(k != null);
        if (k != null) {
            out.writeLong(k.windowStart);
            out.writeByte(k.table);
            out.writeByte(k.direction);
            out.writeByte(k.action);
            out.writeInt(k.protocol);
            out.writeInt(k.dstPort);
            StringValue.writeString(k.accountId, out);
            StringValue.writeString(k.vpcId, out);
            StringValue.writeString(k.subnetId, out);
            StringValue.writeString(k.interfaceId, out);
            StringValue.writeString(k.attribution, out);
        }
        FlowSummaryAccumulator t = row.totals;
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.flows);
            out.writeLong(t.packets);
            out.writeLong(t.bytes);
            SETS.serialize(t.srcAddrs, out);
            SETS.serialize(t.dstAddrs, out);
            SETS.serialize(t.dstPorts, out);
        }
    }

    @Override
    public PartialSummary deserialize(DataInputView in) throws IOException {
        PartialSummary first = null;
        PartialSummary last = null;
        while (in.readBoolean()) {
            PartialSummary row = readRow(in);
            if (first == null) {
                first = row;
            } else {
                last.next = row;
            }
            last = row;
        }
        if (first == null) {
            throw new IOException("corrupt partial summary: no row");
        }
        return first;
    }

    private static PartialSummary readRow(DataInputView in) throws IOException {
        PartialSummary row = new PartialSummary();
        if (in.readBoolean()) {
            SummaryKey k = new SummaryKey();
            k.windowStart = in.readLong();
            k.table = in.readByte();
            k.direction = in.readByte();
            k.action = in.readByte();
            k.protocol = in.readInt();
            k.dstPort = in.readInt();
            k.accountId = StringValue.readString(in);
            k.vpcId = StringValue.readString(in);
            k.subnetId = StringValue.readString(in);
            k.interfaceId = StringValue.readString(in);
            k.attribution = StringValue.readString(in);
            row.key = k;
        }
        if (in.readBoolean()) {
            FlowSummaryAccumulator t = new FlowSummaryAccumulator();
            t.flows = in.readLong();
            t.packets = in.readLong();
            t.bytes = in.readLong();
            t.srcAddrs = SETS.deserialize(in);
            t.dstAddrs = SETS.deserialize(in);
            t.dstPorts = SETS.deserialize(in);
            row.totals = t;
        }
        return row;
    }

    @Override
    public PartialSummary deserialize(PartialSummary reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        while (true) {
            boolean more = in.readBoolean();
            out.writeBoolean(more);
            if (!more) {
                return;
            }
            boolean key = in.readBoolean();
            out.writeBoolean(key);
            if (key) {
                out.writeLong(in.readLong()); // window start
                out.writeByte(in.readByte()); // table
                out.writeByte(in.readByte()); // direction
                out.writeByte(in.readByte()); // action
                out.writeInt(in.readInt()); // protocol
                out.writeInt(in.readInt()); // destination port
                for (int i = 0; i < 5; i++) {
                    StringValue.copyString(in, out);
                }
            }
            boolean totals = in.readBoolean();
            out.writeBoolean(totals);
            if (totals) {
                out.writeLong(in.readLong()); // flows
                out.writeLong(in.readLong()); // packets
                out.writeLong(in.readLong()); // bytes
                SETS.copy(in, out);
                SETS.copy(in, out);
                SETS.copy(in, out);
            }
        }
    }

    @Override
    public TypeSerializerSnapshot<PartialSummary> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PartialSummary> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
