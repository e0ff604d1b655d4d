package io.flowtrail.summary;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;

/** The running totals of one {@code flow_summary} row. A Flink POJO. */
public class FlowSummaryAccumulator {
    public long flows;
    public long packets;
    public long bytes;
    public DistinctCount srcAddrs = new DistinctCount();
    public DistinctCount dstAddrs = new DistinctCount();
    public DistinctCount dstPorts = new DistinctCount();

    public FlowSummaryAccumulator() {}

    public void add(FlowRecord r) {
        flows++;
        if (r.packets > 0) {
            packets += r.packets;
        }
        if (r.bytes > 0) {
            bytes += r.bytes;
        }
        if (r.srcFamily != IpAddresses.NONE) {
            srcAddrs.add(IpAddresses.hash(r.srcFamily, r.srcHi, r.srcLo));
        }
        if (r.dstFamily != IpAddresses.NONE) {
            dstAddrs.add(IpAddresses.hash(r.dstFamily, r.dstHi, r.dstLo));
        }
        if (r.dstPort >= 0) {
            dstPorts.add(r.dstPort);
        }
    }

    /** A deep copy. */
    public FlowSummaryAccumulator copy() {
        FlowSummaryAccumulator c = new FlowSummaryAccumulator();
        c.flows = flows;
        c.packets = packets;
        c.bytes = bytes;
        c.srcAddrs = srcAddrs.copy();
        c.dstAddrs = dstAddrs.copy();
        c.dstPorts = dstPorts.copy();
        return c;
    }

    public FlowSummaryAccumulator merge(FlowSummaryAccumulator other) {
        flows += other.flows;
        packets += other.packets;
        bytes += other.bytes;
        srcAddrs.merge(other.srcAddrs);
        dstAddrs.merge(other.dstAddrs);
        dstPorts.merge(other.dstPorts);
        return this;
    }
}
