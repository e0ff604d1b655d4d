package io.flowtrail.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Partial rows and distinct sets survive the shuffle and window state exactly, compactly. */
class PartialSummarySerializerTest {
    static SummaryKey key(String eni, byte table, String attribution) {
        SummaryKey k = new SummaryKey();
        k.windowStart = 1_793_613_600_000L;
        k.accountId = "111122223333";
        k.vpcId = "vpc-0a1b";
        k.subnetId = null; // absent from the default format
        k.interfaceId = eni;
        k.direction = FlowRecord.DIRECTION_UNKNOWN;
        k.action = FlowRecord.ACTION_REJECT;
        k.protocol = 6;
        k.table = table;
        k.dstPort = table == SummaryKey.REJECTS ? 22 : -1;
        k.attribution = attribution;
        return k;
    }

    static FlowSummaryAccumulator totals(int distinctSources, long bytes) {
        FlowSummaryAccumulator t = new FlowSummaryAccumulator();
        t.flows = distinctSources;
        t.packets = distinctSources * 2L;
        t.bytes = bytes;
        for (int i = 0; i < distinctSources; i++) {
            t.srcAddrs.add(IpAddresses.hash(IpAddresses.V4, 0, 0x0a000000L + i));
        }
        t.dstAddrs.add(0); // the value 0 is stored under a stand-in: it must come back as 0
        t.dstPorts.add(22);
        return t;
    }

    static PartialSummary roundTrip(PartialSummary p) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        PartialSummarySerializer.INSTANCE.serialize(p, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        PartialSummary back = PartialSummarySerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    @Test
    void aChainOfRowsWithExactSetsAndASketchRoundTrips() throws Exception {
        PartialSummary p =
                new PartialSummary(key("eni-a", SummaryKey.FLOW_SUMMARY, null), totals(3, 99));
        p.next =
                new PartialSummary(
                        key("eni-b", SummaryKey.REJECTS, "nacl:acl-1#90"),
                        totals(DistinctCount.EXACT_LIMIT + 10, 7));
        assertThat(p.next.totals.srcAddrs.registers).isNotNull();

        PartialSummary back = roundTrip(p);
        assertThat(back)
                .usingRecursiveComparison()
                .ignoringFieldsOfTypes(DistinctCount.class)
                .isEqualTo(p);
        for (PartialSummary a = p, b = back; a != null; a = a.next, b = b.next) {
            assertSameSet(b.totals.srcAddrs, a.totals.srcAddrs);
            assertSameSet(b.totals.dstAddrs, a.totals.dstAddrs);
            assertSameSet(b.totals.dstPorts, a.totals.dstPorts);
        }
        assertThat(back.totals.srcAddrs.count()).isEqualTo(3);
        assertThat(back.next.totals.srcAddrs.count()).isEqualTo(p.next.totals.srcAddrs.count());
        // An exact set is written as its values, not its table.
        DataOutputSerializer small = new DataOutputSerializer(64);
        DistinctCountSerializer.INSTANCE.serialize(p.totals.srcAddrs, small);
        assertThat(small.length()).isEqualTo(1 + 4 + 3 * 8);
    }

    /** The same values (a set read back keeps them packed, not in a table) or registers. */
    static void assertSameSet(DistinctCount actual, DistinctCount expected) {
        assertThat(actual.size).isEqualTo(expected.size);
        assertThat(actual.registers).isEqualTo(expected.registers);
        assertThat(stored(actual)).isEqualTo(stored(expected));
    }

    static long[] stored(DistinctCount d) {
        return d.slots == null
                ? new long[0]
                : Arrays.stream(d.slots).filter(v -> v != 0).sorted().toArray();
    }

    @Test
    void aDeserializedSetKeepsCountingCorrectly() throws Exception {
        PartialSummary back =
                roundTrip(
                        new PartialSummary(
                                key("eni-a", SummaryKey.FLOW_SUMMARY, null), totals(40, 1)));
        DistinctCount src = back.totals.srcAddrs;
        src.add(IpAddresses.hash(IpAddresses.V4, 0, 0x0a000000L)); // already there
        src.add(IpAddresses.hash(IpAddresses.V4, 0, 0x0b000000L)); // new
        assertThat(src.count()).isEqualTo(41);
        back.totals.dstAddrs.add(0);
        assertThat(back.totals.dstAddrs.count()).isEqualTo(1);
    }

    @Test
    void copyingSerializedBytesGivesTheSameBytes() throws Exception {
        PartialSummary p =
                new PartialSummary(
                        key("eni-a", SummaryKey.REJECTS, "sg:no-matching-rule"), totals(5, 3));
        p.next = new PartialSummary(key("eni-c", SummaryKey.FLOW_SUMMARY, null), totals(1, 1));
        DataOutputSerializer first = new DataOutputSerializer(64);
        PartialSummarySerializer.INSTANCE.serialize(p, first);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        PartialSummarySerializer.INSTANCE.copy(
                new DataInputDeserializer(first.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
        assertThat(PartialSummarySerializer.INSTANCE.copy(p))
                .usingRecursiveComparison()
                .isEqualTo(p);
    }

    /** What a window sees when keys share its shuffle key: one accumulator, a row per key. */
    @Test
    void differentKeysReachingOneAccumulatorStayApartAndSameKeysMerge() {
        PartialSummary acc = new PartialSummary();
        acc.add(new PartialSummary(key("eni-a", SummaryKey.FLOW_SUMMARY, null), totals(2, 10)));
        acc.add(new PartialSummary(key("eni-b", SummaryKey.FLOW_SUMMARY, null), totals(1, 5)));
        acc.add(new PartialSummary(key("eni-a", SummaryKey.FLOW_SUMMARY, null), totals(3, 1)));
        assertThat(acc.key.interfaceId).isEqualTo("eni-a");
        assertThat(acc.totals.bytes).isEqualTo(11);
        assertThat(acc.totals.srcAddrs.count()).isEqualTo(3);
        assertThat(acc.next.key.interfaceId).isEqualTo("eni-b");
        assertThat(acc.next.totals.bytes).isEqualTo(5);
        assertThat(acc.next.next).isNull();
    }

    @Test
    void flinkUsesTheHandWrittenSerializersNotPojoOrKryo() {
        assertThat(
                        TypeInformation.of(PartialSummary.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isSameAs(PartialSummarySerializer.INSTANCE);
        assertThat(
                        TypeInformation.of(DistinctCount.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isSameAs(DistinctCountSerializer.INSTANCE);
    }

    @Test
    void theKeyHashSeparatesTablesPortsAndWindows() {
        SummaryKey a = key("eni-a", SummaryKey.REJECTS, "x");
        SummaryKey b = a.copy();
        assertThat(b.hash64()).isEqualTo(a.hash64());
        b.dstPort = 23;
        assertThat(b.hash64()).isNotEqualTo(a.hash64());
        b = a.copy();
        b.windowStart += 300_000;
        assertThat(b.hash64()).isNotEqualTo(a.hash64());
        b = a.copy();
        b.table = SummaryKey.FLOW_SUMMARY;
        assertThat(b.hash64()).isNotEqualTo(a.hash64());
    }

    @Test
    void theShuffleKeyOrdersWindowsInTimeAndKeepsKeysApart() {
        long window = 300_000;
        SummaryKey a = key("eni-a", SummaryKey.FLOW_SUMMARY, null);
        SummaryKey later = a.copy();
        later.windowStart += window;
        SummaryKey other = a.copy();
        other.interfaceId = "eni-b";
        assertThat(later.shuffleKey(window)).isGreaterThan(a.shuffleKey(window));
        assertThat(other.shuffleKey(window) >>> 40).isEqualTo(a.shuffleKey(window) >>> 40);
        assertThat(other.shuffleKey(window)).isNotEqualTo(a.shuffleKey(window));
    }
}
