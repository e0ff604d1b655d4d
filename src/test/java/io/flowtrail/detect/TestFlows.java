package io.flowtrail.detect;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * Flow records for detector tests, read like the domain: {@code
 * flow().from("203.0.113.66").to("10.20.0.30", 22).at(T0).rejected()}.
 */
public final class TestFlows {
    public static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    public static final long WINDOW = 300_000L;

    private final FlowRecord r = new FlowRecord();

    private TestFlows() {
        r.accountId = "111122223333";
        r.region = "us-east-1";
        r.interfaceId = "eni-0000000000000000a";
        r.protocol = 6;
        r.srcPort = 40000;
        r.packets = 1;
        r.bytes = 60;
        r.logStatus = FlowRecord.STATUS_OK;
        r.action = FlowRecord.ACTION_ACCEPT;
        r.origin = "test:";
        at(T0);
    }

    public static TestFlows flow() {
        return new TestFlows();
    }

    public TestFlows from(String address) {
        parse(address);
        r.srcFamily = family;
        r.srcHi = hi;
        r.srcLo = lo;
        return this;
    }

    public TestFlows from(String address, int port) {
        r.srcPort = port;
        return from(address);
    }

    public TestFlows to(String address, int port) {
        parse(address);
        r.dstFamily = family;
        r.dstHi = hi;
        r.dstLo = lo;
        r.dstPort = port;
        return this;
    }

    public TestFlows on(String interfaceId) {
        r.interfaceId = interfaceId;
        return this;
    }

    public TestFlows in(String vpcId, String subnetId) {
        r.vpcId = vpcId;
        r.subnetId = subnetId;
        return this;
    }

    public TestFlows udp() {
        r.protocol = 17;
        return this;
    }

    public TestFlows at(Instant start) {
        r.start = start.getEpochSecond();
        r.end = r.start + 30;
        return this;
    }

    public TestFlows packets(long packets, long bytes) {
        r.packets = packets;
        r.bytes = bytes;
        return this;
    }

    public TestFlows flags(int tcpFlags) {
        r.tcpFlags = tcpFlags;
        return this;
    }

    public TestFlows egress() {
        r.flowDirection = FlowRecord.DIRECTION_EGRESS;
        return this;
    }

    public TestFlows ingress() {
        r.flowDirection = FlowRecord.DIRECTION_INGRESS;
        return this;
    }

    public TestFlows peer(byte peerClass) {
        r.peerClass = peerClass;
        return this;
    }

    public TestFlows managedInterface() {
        r.interfaceKind = FlowRecord.INTERFACE_MANAGED;
        return this;
    }

    public TestFlows attributedTo(String attribution) {
        r.attribution = attribution;
        return this;
    }

    public TestFlows response() {
        r.response = true;
        return this;
    }

    public FlowRecord accepted() {
        r.action = FlowRecord.ACTION_ACCEPT;
        return r;
    }

    public FlowRecord rejected() {
        r.action = FlowRecord.ACTION_REJECT;
        return r;
    }

    private byte family;
    private long hi;
    private long lo;

    private void parse(String address) {
        byte[] b =
                ("2 a eni " + address + " " + address + " 1 1 6 1 1 1 1 ACCEPT OK")
                        .getBytes(StandardCharsets.US_ASCII);
        FlowRecord tmp = new FlowRecord();
        String problem =
                new io.flowtrail.parse.FlowLineParser(io.flowtrail.parse.FlowLogFormat.DEFAULT)
                        .parse(b, 0, b.length, tmp);
        if (problem != null) {
            throw new IllegalArgumentException(address + ": " + problem);
        }
        family = tmp.srcFamily;
        hi = tmp.srcHi;
        lo = tmp.srcLo;
    }

    /**
     * What one reading task's pre-aggregation ({@code combiner}) emits for these records, at the
     * end of its input.
     */
    public static <P> List<P> preAggregate(
            OneInputStreamOperator<FlowRecord, P> combiner, List<FlowRecord> records)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<FlowRecord, P> h =
                new OneInputStreamOperatorTestHarness<>(combiner)) {
            h.open();
            for (FlowRecord r : records) {
                h.processElement(r, r.startMillis());
            }
            h.endInput();
            return h.extractOutputValues();
        }
    }

    /** The records dealt alternately to two reading tasks, as a file source might split them. */
    public static List<List<FlowRecord>> dealtToTwoTasks(List<FlowRecord> records) {
        List<List<FlowRecord>> tasks = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < records.size(); i++) {
            tasks.get(i % 2).add(records.get(i));
        }
        return tasks;
    }

    public static String text(FlowRecord r) {
        return IpAddresses.format(r.srcFamily, r.srcHi, r.srcLo);
    }
}
