package io.flowtrail.detect.kms;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.model.KmsEvent;

/**
 * The principals that used one key in one window: per principal its calls and its earliest call (by
 * event time, then event id: the same in every mode). At most {@value #CAPACITY} principals, the
 * ones with the smallest hashes when there are more (see {@link NameCounts}). A Flink POJO.
 */
public class PrincipalWindow {
    static final int CAPACITY = 256;

    public String accountId;
    public String region;
    public int size;
    public boolean overflowed;
    public String[] principals = new String[8];
    public long[] hashes = new long[8];
    public long[] calls = new long[8];
    public long[] firstTimes = new long[8];
    public String[] firstIds = new String[8];
    public String[] firstEventNames = new String[8];
    public String[] firstSessions = new String[8];
    public String[] firstSources = new String[8];
    public String[] firstEndpoints = new String[8];
    public String[] firstAccounts = new String[8];

    public PrincipalWindow() {}

    void add(KmsEvent e) {
        accountId = DetectorSupport.pick(accountId, KmsCalls.account(e));
        region = DetectorSupport.pick(region, e.region);
        String id = e.eventId == null ? "" : e.eventId;
        long h = KmsCalls.hash64(e.principalArn);
        int largest = -1;
        for (int i = 0; i < size; i++) {
            if (hashes[i] == h && principals[i].equals(e.principalArn)) {
                calls[i]++;
                if (e.eventTimeMillis < firstTimes[i]
                        || (e.eventTimeMillis == firstTimes[i] && id.compareTo(firstIds[i]) < 0)) {
                    first(i, e, id);
                }
                return;
            }
            if (largest < 0 || after(i, largest)) {
                largest = i;
            }
        }
        int slot;
        if (size < CAPACITY) {
            if (size == principals.length) {
                grow();
            }
            slot = size++;
        } else {
            overflowed = true;
            if (!before(h, e.principalArn, hashes[largest], principals[largest])) {
                return;
            }
            slot = largest;
        }
        principals[slot] = e.principalArn;
        hashes[slot] = h;
        calls[slot] = 1;
        first(slot, e, id);
    }

    private void first(int i, KmsEvent e, String id) {
        firstTimes[i] = e.eventTimeMillis;
        firstIds[i] = id;
        firstEventNames[i] = e.eventName;
        firstSessions[i] = e.sessionName;
        firstSources[i] = e.sourceIp;
        firstEndpoints[i] = e.vpcEndpointId;
        firstAccounts[i] = e.callerAccountId;
    }

    private boolean after(int i, int j) {
        return before(hashes[j], principals[j], hashes[i], principals[i]);
    }

    private static boolean before(long h1, String p1, long h2, String p2) {
        int c = Long.compareUnsigned(h1, h2);
        return c < 0 || (c == 0 && p1.compareTo(p2) < 0);
    }

    private void grow() {
        int n = principals.length * 2;
        principals = java.util.Arrays.copyOf(principals, n);
        hashes = java.util.Arrays.copyOf(hashes, n);
        calls = java.util.Arrays.copyOf(calls, n);
        firstTimes = java.util.Arrays.copyOf(firstTimes, n);
        firstIds = java.util.Arrays.copyOf(firstIds, n);
        firstEventNames = java.util.Arrays.copyOf(firstEventNames, n);
        firstSessions = java.util.Arrays.copyOf(firstSessions, n);
        firstSources = java.util.Arrays.copyOf(firstSources, n);
        firstEndpoints = java.util.Arrays.copyOf(firstEndpoints, n);
        firstAccounts = java.util.Arrays.copyOf(firstAccounts, n);
    }
}
