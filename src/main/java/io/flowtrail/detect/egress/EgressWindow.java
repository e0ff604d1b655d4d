package io.flowtrail.detect.egress;

import io.flowtrail.detect.TopCounts;
import io.flowtrail.model.IpAddresses;

/**
 * One interface's egress to external destinations in one window: bytes in all, and per destination
 * prefix (up to {@link #MAX_PREFIXES}) the bytes and one address and port to name it by. Policy
 * violations are counted by destination. A Flink POJO (arrays only).
 */
public class EgressWindow {
    static final int MAX_PREFIXES = 4096;

    public long bytes;
    public long flows;
    public String accountId;
    public String region;
    public String vpcId;
    public String subnetId;

    public long[] prefixKeys = new long[16];
    public long[] prefixBytes = new long[16];
    public String[] prefixAddress = new String[16];
    public int[] prefixPort = new int[16];
    public int prefixes;
    public long bytesOfUntrackedPrefixes;

    public TopCounts violations = new TopCounts(16);

    /** Bytes per bypassed gateway endpoint and service ({@code vpce-... S3}). */
    public TopCounts bypasses = new TopCounts(8);

    public long bypassBytes;

    /** Internet egress from a subnet without a route to it: destinations and flows. */
    public TopCounts unrouted = new TopCounts(8);

    public long unroutedFlows;
    public long violationFlows;
    public long violationBytes;

    public EgressWindow() {}

    void add(long prefixKey, String address, int port, long n) {
        bytes += n;
        flows++;
        long key = prefixKey == 0 ? 1 : prefixKey;
        int mask = prefixKeys.length - 1;
        int i = (int) (IpAddresses.mix64(key) & mask);
        while (prefixKeys[i] != 0) {
            if (prefixKeys[i] == key) {
                prefixBytes[i] += n;
                // Name the prefix by its smallest address (and port): the same in every mode.
                int c = address.compareTo(prefixAddress[i]);
                if (c < 0 || (c == 0 && port < prefixPort[i])) {
                    prefixAddress[i] = address;
                    prefixPort[i] = port;
                }
                return;
            }
            i = (i + 1) & mask;
        }
        if (prefixes >= MAX_PREFIXES) {
            bytesOfUntrackedPrefixes += n;
            return;
        }
        prefixKeys[i] = key;
        prefixBytes[i] = n;
        prefixAddress[i] = address;
        prefixPort[i] = port;
        prefixes++;
        if (prefixes * 2 > prefixKeys.length) {
            grow();
        }
    }

    private void grow() {
        long[] k = prefixKeys;
        long[] b = prefixBytes;
        String[] a = prefixAddress;
        int[] p = prefixPort;
        int n = k.length * 2;
        prefixKeys = new long[n];
        prefixBytes = new long[n];
        prefixAddress = new String[n];
        prefixPort = new int[n];
        for (int j = 0; j < k.length; j++) {
            if (k[j] != 0) {
                int i = (int) (IpAddresses.mix64(k[j]) & (n - 1));
                while (prefixKeys[i] != 0) {
                    i = (i + 1) & (n - 1);
                }
                prefixKeys[i] = k[j];
                prefixBytes[i] = b[j];
                prefixAddress[i] = a[j];
                prefixPort[i] = p[j];
            }
        }
    }
}
