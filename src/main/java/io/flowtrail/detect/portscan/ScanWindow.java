package io.flowtrail.detect.portscan;

import io.flowtrail.model.IpAddresses;

/**
 * One source's probes in one window: the distinct (host, port) targets, each stored as a long whose
 * upper 48 bits are a hash of the host and lower 16 bits the port, in an open-addressing set capped
 * at the detector's limit; the first few host addresses as text for the evidence; and counts. A
 * Flink POJO (arrays only).
 */
public class ScanWindow {
    /** How many hosts the evidence names at most. */
    static final int NAMED_HOSTS = 32;

    // Most sources probe once or twice a window (the internet's background): small tables that
    // grow, not the largest size for every source.
    public long[] targets = new long[4];
    public int size;
    public boolean capped;
    public long rejected;
    public long accepted;

    /** Host hash (upper 48 bits) and text of the first hosts seen, for the evidence. */
    public long[] hostHashes = new long[2];

    public String[] hostNames = new String[2];
    public String[] hostInterfaces = new String[2];
    public int hosts;
    public String accountId;
    public String region;

    public ScanWindow() {}

    /** Adds a target; false when the set is full (the probe is still counted). */
    public boolean add(long hostHash48, int port, int limit) {
        long value = (hostHash48 & ~0xFFFFL) | (port & 0xFFFF);
        if (value == 0) {
            value = 1L << 16;
        }
        int mask = targets.length - 1;
        int i = (int) (IpAddresses.mix64(value) & mask);
        while (targets[i] != 0) {
            if (targets[i] == value) {
                return true;
            }
            i = (i + 1) & mask;
        }
        if (size >= limit) {
            capped = true;
            return false;
        }
        targets[i] = value;
        size++;
        if (size * 2 > targets.length) {
            grow();
        }
        return true;
    }

    /**
     * Whether a host would be named: the evidence names the hosts with the smallest hashes (at most
     * {@link #NAMED_HOSTS}), a set that does not depend on the order probes arrive in.
     */
    public boolean wouldName(long hostHash48) {
        long h = hostHash48 & ~0xFFFFL;
        if (hosts < NAMED_HOSTS) {
            return true;
        }
        for (int i = 0; i < hosts; i++) {
            if (hostHashes[i] == h || Long.compareUnsigned(h, hostHashes[i]) < 0) {
                return true;
            }
        }
        return false;
    }

    public void nameHost(long hostHash48, String name, String interfaceId) {
        long h = hostHash48 & ~0xFFFFL;
        int largest = 0;
        for (int i = 0; i < hosts; i++) {
            if (hostHashes[i] == h) {
                // The same host seen on another interface: keep one deterministically.
                hostInterfaces[i] =
                        io.flowtrail.detect.DetectorSupport.pick(hostInterfaces[i], interfaceId);
                return;
            }
            if (Long.compareUnsigned(hostHashes[i], hostHashes[largest]) > 0) {
                largest = i;
            }
        }
        if (hosts == hostHashes.length && hosts < NAMED_HOSTS) {
            int n = Math.min(NAMED_HOSTS, hosts * 2);
            hostHashes = java.util.Arrays.copyOf(hostHashes, n);
            hostNames = java.util.Arrays.copyOf(hostNames, n);
            hostInterfaces = java.util.Arrays.copyOf(hostInterfaces, n);
        }
        int slot = hosts < NAMED_HOSTS ? hosts++ : largest;
        hostHashes[slot] = h;
        hostNames[slot] = name;
        hostInterfaces[slot] = interfaceId;
    }

    public String hostName(long hostHash48) {
        for (int i = 0; i < hosts; i++) {
            if (hostHashes[i] == (hostHash48 & ~0xFFFFL)) {
                return hostNames[i];
            }
        }
        return null;
    }

    public String hostInterface(long hostHash48) {
        for (int i = 0; i < hosts; i++) {
            if (hostHashes[i] == (hostHash48 & ~0xFFFFL)) {
                return hostInterfaces[i];
            }
        }
        return null;
    }

    /** The ports probed on a host, ascending. */
    public int[] portsOf(long hostHash48) {
        long h = hostHash48 & ~0xFFFFL;
        return java.util.Arrays.stream(targets)
                .filter(t -> t != 0 && (t & ~0xFFFFL) == h)
                .mapToInt(t -> (int) (t & 0xFFFF))
                .sorted()
                .toArray();
    }

    /** The names of the (named) hosts probed on a port, sorted. */
    public java.util.List<String> hostsOn(int port) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (long t : targets) {
            if (t != 0 && (t & 0xFFFF) == port) {
                String n = hostName(t);
                if (n != null) {
                    names.add(n);
                }
            }
        }
        java.util.Collections.sort(names);
        return names;
    }

    private void grow() {
        long[] old = targets;
        targets = new long[old.length * 2];
        int mask = targets.length - 1;
        for (long v : old) {
            if (v != 0) {
                int i = (int) (IpAddresses.mix64(v) & mask);
                while (targets[i] != 0) {
                    i = (i + 1) & mask;
                }
                targets[i] = v;
            }
        }
    }
}
