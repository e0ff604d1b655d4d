package io.flowtrail.detect.rejectspike;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.TopCounts;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;

/**
 * One key's rejected flows in one window, with what the evidence needs. Per source, the flows and
 * the distinct ports are kept (for up to {@link #MAX_SOURCES} sources) so that port scans can be
 * left out of the count. Built in the reading task from the flows of one key and window ({@link
 * RejectSpikeCombiner}), then merged with the other tasks' partials by the detector. A Flink POJO
 * (arrays only).
 */
public class SpikeWindow {
    public static final byte INTERFACE = 0;
    public static final byte SUBNET = 1;
    public static final byte VPC = 2;

    static final int MAX_SOURCES = 1024;
    static final int MAX_PAIRS = 8192;

    public long flows;
    public long packets;
    public byte level;
    public String accountId;
    public String region;
    public long configSince = -1L;

    /** Source hash → flows, open addressing. */
    public long[] sourceKeys = new long[16];

    public long[] sourceFlows = new long[16];
    public int sources;
    public long flowsOfUntrackedSources;

    /** (source hash upper 48 bits | port) set, open addressing. */
    public long[] pairs = new long[16];

    public int pairCount;

    public TopCounts topSources = new TopCounts(256);
    public TopCounts topPorts = new TopCounts(64);
    public TopCounts attributions = new TopCounts(32);
    public TopCounts interfaces = new TopCounts(64);

    public SpikeWindow() {}

    public SpikeWindow(byte level) {
        this.level = level;
    }

    /**
     * Adds a rejected flow, with its source address and {@code protocol/port} already as text (a
     * flow counts towards up to three keys; it is formatted once).
     */
    void add(FlowRecord r, long sourceHash, String sourceText, String portText) {
        flows++;
        packets += Math.max(0, r.packets);
        accountId = DetectorSupport.pick(accountId, r.accountId);
        region = DetectorSupport.pick(region, r.region);
        configSince = Math.max(configSince, r.configSince);
        long key = sourceHash == 0 ? 1 : sourceHash;
        addSource(key, 1);
        addPair(key, r.dstPort);
        topSources.add(sourceText, 1);
        topPorts.add(portText, 1);
        attributions.add(r.attribution == null ? "unattributed" : r.attribution, 1);
        if (r.interfaceId != null) {
            interfaces.add(r.interfaceId, 1);
        }
    }

    /** Adds another partial of the same key and window. */
    void merge(SpikeWindow o) {
        flows += o.flows;
        packets += o.packets;
        accountId = DetectorSupport.pick(accountId, o.accountId);
        region = DetectorSupport.pick(region, o.region);
        configSince = Math.max(configSince, o.configSince);
        for (int i = 0; i < o.sourceKeys.length; i++) {
            if (o.sourceKeys[i] != 0) {
                addSource(o.sourceKeys[i], o.sourceFlows[i]);
            }
        }
        flowsOfUntrackedSources += o.flowsOfUntrackedSources;
        for (long p : o.pairs) {
            if (p != 0 && pairCount < MAX_PAIRS && find(pairs, p) < 0) {
                pairs = insert(pairs, p, ++pairCount);
            }
        }
        topSources.merge(o.topSources);
        topPorts.merge(o.topPorts);
        attributions.merge(o.attributions);
        interfaces.merge(o.interfaces);
    }

    private void addSource(long key, long n) {
        int slot = find(sourceKeys, key);
        if (slot >= 0) {
            sourceFlows[slot] += n;
        } else if (sources < MAX_SOURCES) {
            insertSource(key, n);
        } else {
            flowsOfUntrackedSources += n;
        }
    }

    private void addPair(long source, int port) {
        if (pairCount < MAX_PAIRS) {
            long pair = (source & ~0xFFFFL) | (port & 0xFFFF);
            if (pair == 0) {
                pair = 1L << 16;
            }
            if (find(pairs, pair) < 0) {
                pairs = insert(pairs, pair, ++pairCount);
            }
        }
    }

    /** Flows from sources that probed at least {@code ports} distinct ports: a scan's share. */
    long flowsFromScanners(int ports) {
        java.util.Map<Long, Integer> distinct = new java.util.HashMap<>();
        for (long p : pairs) {
            if (p != 0) {
                distinct.merge(p & ~0xFFFFL, 1, Integer::sum);
            }
        }
        long excluded = 0;
        for (int i = 0; i < sourceKeys.length; i++) {
            long k = sourceKeys[i];
            if (k != 0 && distinct.getOrDefault(k & ~0xFFFFL, 0) >= ports) {
                excluded += sourceFlows[i];
            }
        }
        return excluded;
    }

    private void insertSource(long key, long n) {
        if ((sources + 1) * 2 > sourceKeys.length) {
            long[] oldKeys = sourceKeys;
            long[] oldFlows = sourceFlows;
            sourceKeys = new long[oldKeys.length * 2];
            sourceFlows = new long[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int s = slotFor(sourceKeys, oldKeys[i]);
                    sourceKeys[s] = oldKeys[i];
                    sourceFlows[s] = oldFlows[i];
                }
            }
        }
        int s = slotFor(sourceKeys, key);
        sourceKeys[s] = key;
        sourceFlows[s] = n;
        sources++;
    }

    private static long[] insert(long[] table, long value, int newSize) {
        if (newSize * 2 > table.length) {
            long[] old = table;
            table = new long[old.length * 2];
            for (long v : old) {
                if (v != 0) {
                    table[slotFor(table, v)] = v;
                }
            }
        }
        table[slotFor(table, value)] = value;
        return table;
    }

    private static int find(long[] table, long value) {
        int mask = table.length - 1;
        int i = (int) (IpAddresses.mix64(value) & mask);
        while (table[i] != 0) {
            if (table[i] == value) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private static int slotFor(long[] table, long value) {
        int mask = table.length - 1;
        int i = (int) (IpAddresses.mix64(value) & mask);
        while (table[i] != 0 && table[i] != value) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
