package io.flowtrail.detect.egress;

import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.detect.TopCounts;
import io.flowtrail.model.IpAddresses;
import java.util.List;

/**
 * One interface's egress to external destinations in one window, built in the reading task from the
 * flows of one interface and window ({@link EgressCombiner}) and merged with the other tasks'
 * partials by the detector: bytes in all, and per destination prefix (up to {@link #MAX_PREFIXES})
 * the bytes and one address and port to name it by. Policy violations are counted by destination. A
 * Flink POJO (arrays only).
 */
public class EgressWindow {
    static final int MAX_PREFIXES = 4096;

    public long bytes;
    public long flows;
    public String accountId;
    public String region;
    public String vpcId;
    public String subnetId;

    public long[] prefixKeys = new long[8];
    public long[] prefixBytes = new long[8];
    public String[] prefixAddress = new String[8];
    public int[] prefixPort = new int[8];
    public int prefixes;
    public long bytesOfUntrackedPrefixes;

    public TopCounts violations = new TopCounts(64);

    /** Bytes per bypassed gateway endpoint and service ({@code vpce-... S3}). */
    public TopCounts bypasses = new TopCounts(16);

    public long bypassBytes;

    /** Internet egress from a subnet without a route to it: destinations and flows. */
    public TopCounts unrouted = new TopCounts(32);

    public long unroutedFlows;
    public long violationFlows;
    public long violationBytes;

    public EgressWindow() {}

    /**
     * Adds an egress event under the detector's parameters: its destination prefix, or the bypassed
     * gateway endpoint; the unrouted destinations and policy violations of its scope.
     */
    void add(EgressEvent e, EgressParams params) {
        accountId = DetectorSupport.pick(accountId, e.accountId);
        region = DetectorSupport.pick(region, e.region);
        vpcId = DetectorSupport.pick(vpcId, e.vpcId);
        subnetId = DetectorSupport.pick(subnetId, e.subnetId);
        if (e.bypassedEndpoint != null) {
            // AWS-service traffic that should have used the endpoint: counted on its own, not as
            // a destination or volume of the interface's internet egress.
            bypasses.add(e.bypassedEndpoint + " " + e.dstAwsService, e.bytes);
            bypassBytes += e.bytes;
            return;
        }
        String address = IpAddresses.format(e.dstFamily, e.dstHi, e.dstLo);
        bytes += e.bytes;
        flows++;
        addPrefix(prefixKey(e, params), address, e.dstPort, e.bytes);
        List<EgressParams.Policy> policies = params.policiesFor(e.vpcId, e.subnetId);
        if (!e.noInternetRoute && policies.isEmpty()) {
            return; // the common case: nothing to check
        }
        for (EgressParams.Policy p : policies) {
            if (EgressParams.allows(p, e)) {
                return;
            }
        }
        String destination = address + ":" + e.dstPort;
        if (e.noInternetRoute) {
            unrouted.add(destination, 1);
            unroutedFlows++;
        }
        if (!policies.isEmpty()) {
            violations.add(destination, e.bytes);
            violationFlows++;
            violationBytes += e.bytes;
        }
    }

    /** Adds another partial of the same interface and window. */
    void merge(EgressWindow o) {
        accountId = DetectorSupport.pick(accountId, o.accountId);
        region = DetectorSupport.pick(region, o.region);
        vpcId = DetectorSupport.pick(vpcId, o.vpcId);
        subnetId = DetectorSupport.pick(subnetId, o.subnetId);
        bytes += o.bytes;
        flows += o.flows;
        for (int i = 0; i < o.prefixKeys.length; i++) {
            if (o.prefixKeys[i] != 0) {
                addPrefix(o.prefixKeys[i], o.prefixAddress[i], o.prefixPort[i], o.prefixBytes[i]);
            }
        }
        bytesOfUntrackedPrefixes += o.bytesOfUntrackedPrefixes;
        violations.merge(o.violations);
        bypasses.merge(o.bypasses);
        bypassBytes += o.bypassBytes;
        unrouted.merge(o.unrouted);
        unroutedFlows += o.unroutedFlows;
        violationFlows += o.violationFlows;
        violationBytes += o.violationBytes;
    }

    /** The destination prefix of an event (its address cut to the parameters' prefix length). */
    static long prefixKey(EgressEvent e, EgressParams params) {
        int bits =
                e.dstFamily == IpAddresses.V4
                        ? params.destinationPrefixV4
                        : params.destinationPrefixV6;
        long hi = e.dstHi;
        long lo = e.dstLo;
        if (e.dstFamily == IpAddresses.V4) {
            lo = bits == 0 ? 0 : lo & (0xffffffffL << (32 - bits)) & 0xffffffffL;
        } else if (bits <= 64) {
            hi = bits == 0 ? 0 : hi & (-1L << (64 - bits));
            lo = 0;
        } else if (bits < 128) {
            lo = lo & (-1L << (128 - bits));
        }
        return IpAddresses.hash(e.dstFamily, hi, lo);
    }

    private void addPrefix(long prefixKey, String address, int port, long n) {
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
