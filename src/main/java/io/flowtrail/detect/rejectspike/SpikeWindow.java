package io.flowtrail.detect.rejectspike;

import io.flowtrail.detect.TopCounts;
import io.flowtrail.model.IpAddresses;

/**
 * One key's rejected flows in one window, with what the evidence needs. Per source, the flows and
 * the distinct ports are kept (for up to {@link #MAX_SOURCES} sources) so that port scans can be
 * left out of the count. A Flink POJO (arrays only).
 */
public class SpikeWindow {
    static final int MAX_SOURCES = 1024;
    static final int MAX_PAIRS = 8192;

    public long flows;
    public long packets;
    public byte level;
    public String accountId;
    public String region;
    public long configSince = -1L;

    /** Source hash → flows, open addressing. */
    public long[] sourceKeys = new long[64];

    public long[] sourceFlows = new long[64];
    public int sources;
    public long flowsOfUntrackedSources;

    /** (source hash upper 48 bits | port) set, open addressing. */
    public long[] pairs = new long[64];

    public int pairCount;

    public TopCounts topSources = new TopCounts(16);
    public TopCounts topPorts = new TopCounts(16);
    public TopCounts attributions = new TopCounts(8);
    public TopCounts interfaces = new TopCounts(8);

    public SpikeWindow() {}

    void add(long sourceHash, int port, String sourceText, String portText, RejectEvent e) {
        flows++;
        packets += e.packets;
        long key = sourceHash == 0 ? 1 : sourceHash;
        int slot = find(sourceKeys, key);
        if (slot >= 0) {
            sourceFlows[slot]++;
        } else if (sources < MAX_SOURCES) {
            insertSource(key);
        } else {
            flowsOfUntrackedSources++;
        }
        if (pairCount < MAX_PAIRS) {
            long pair = (key & ~0xFFFFL) | (port & 0xFFFF);
            if (pair == 0) {
                pair = 1L << 16;
            }
            if (find(pairs, pair) < 0) {
                pairs = insert(pairs, pair, ++pairCount);
            }
        }
        topSources.add(sourceText, 1);
        topPorts.add(portText, 1);
        topInterfacesAndAttribution(e);
    }

    private void topInterfacesAndAttribution(RejectEvent e) {
        attributions.add(e.attribution == null ? "unattributed" : e.attribution, 1);
        if (e.interfaceId != null) {
            interfaces.add(e.interfaceId, 1);
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

    private void insertSource(long key) {
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
        sourceFlows[s] = 1;
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
