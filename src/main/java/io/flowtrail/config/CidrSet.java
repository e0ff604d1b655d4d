package io.flowtrail.config;

import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddresses;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A set of addresses given as CIDR blocks (a prefix list, the AWS service ranges), kept as sorted,
 * merged ranges per family: membership is a binary search, with no allocation.
 */
public final class CidrSet {
    public static final CidrSet EMPTY = new CidrSet(List.of());

    // IPv4: [start, end] inclusive, sorted, disjoint.
    private final long[] v4Start;
    private final long[] v4End;
    // IPv6: 128-bit [start, end] as (hi, lo) pairs, compared unsigned.
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;
    private final List<Cidr> cidrs;

    public CidrSet(Collection<Cidr> blocks) {
        this.cidrs = List.copyOf(blocks);
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (Cidr c : blocks) {
            if (c.isV4()) {
                v4.add(new long[] {c.lo(), c.lastLo()});
            } else {
                v6.add(new long[] {c.hi(), c.lo(), c.lastHi(), c.lastLo()});
            }
        }
        v4.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> m4 = new ArrayList<>();
        for (long[] r : v4) {
            long[] last = m4.isEmpty() ? null : m4.get(m4.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                m4.add(r.clone());
            }
        }
        v4Start = new long[m4.size()];
        v4End = new long[m4.size()];
        for (int i = 0; i < m4.size(); i++) {
            v4Start[i] = m4.get(i)[0];
            v4End[i] = m4.get(i)[1];
        }
        v6.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
        List<long[]> m6 = new ArrayList<>();
        for (long[] r : v6) {
            long[] last = m6.isEmpty() ? null : m6.get(m6.size() - 1);
            if (last != null && compare(r[0], r[1], last[2], last[3]) <= 0) {
                if (compare(r[2], r[3], last[2], last[3]) > 0) {
                    last[2] = r[2];
                    last[3] = r[3];
                }
            } else {
                m6.add(r.clone());
            }
        }
        v6StartHi = new long[m6.size()];
        v6StartLo = new long[m6.size()];
        v6EndHi = new long[m6.size()];
        v6EndLo = new long[m6.size()];
        for (int i = 0; i < m6.size(); i++) {
            long[] r = m6.get(i);
            v6StartHi[i] = r[0];
            v6StartLo[i] = r[1];
            v6EndHi[i] = r[2];
            v6EndLo[i] = r[3];
        }
    }

    /** The blocks it was built from. */
    public List<Cidr> cidrs() {
        return cidrs;
    }

    public boolean isEmpty() {
        return v4Start.length == 0 && v6StartHi.length == 0;
    }

    public boolean contains(byte family, long hi, long lo) {
        if (family == IpAddresses.V4) {
            int low = 0;
            int high = v4Start.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (v4Start[mid] <= lo) {
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return high >= 0 && lo <= v4End[high];
        }
        if (family == IpAddresses.V6) {
            int low = 0;
            int high = v6StartHi.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (compare(v6StartHi[mid], v6StartLo[mid], hi, lo) <= 0) {
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return high >= 0 && compare(hi, lo, v6EndHi[high], v6EndLo[high]) <= 0;
        }
        return false;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }
}
