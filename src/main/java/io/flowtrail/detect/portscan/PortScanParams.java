package io.flowtrail.detect.portscan;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowtrail.model.Cidr;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Job-file keys of {@code detectors.port-scan}. Defaults come from how real networks look: every
 * public host gets a few probes an hour from scanners on the internet (not a scan worth an alert),
 * DNS and NTP fan out to many servers, and a load balancer talks to many backends on one port with
 * real data (not probes: a probe is a REJECT, or an accepted TCP flow of at most a few packets that
 * never got past the handshake).
 */
public final class PortScanParams implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Vertical scan: at least this many distinct ports probed on one host in a window. */
    @JsonProperty("vertical-min-ports")
    public int verticalMinPorts = 25;

    /** Horizontal scan: at least this many distinct hosts probed on one port in a window. */
    @JsonProperty("horizontal-min-hosts")
    public int horizontalMinHosts = 10;

    /** An accepted TCP flow of at most this many packets (and no data) counts as a probe. */
    @JsonProperty("max-probe-packets")
    public int maxProbePackets = 3;

    /** Destination ports never counted (resolvers and time servers fan out by design). */
    @JsonProperty("ignore-ports")
    public List<Integer> ignorePorts = new ArrayList<>(List.of(53, 123));

    /** Sources never reported: your own vulnerability scanners, as CIDRs. */
    @JsonProperty("allow-sources")
    public List<String> allowSources = new ArrayList<>();

    /**
     * Distinct (host, port) targets remembered per source and window; beyond it counts are lower
     * bounds.
     */
    @JsonProperty("max-targets-per-source")
    public int maxTargetsPerSource = 4096;

    /** After an alert, the same source raises no new alert of the same kind for this long. */
    @JsonProperty("suppress-for")
    public String suppressFor = "30m";

    /** Turns the detector off. */
    @JsonProperty("enabled")
    public boolean enabled = true;

    private transient List<Cidr> allowed;

    public PortScanParams() {}

    /** Checks every value; returns an error naming the key, or null. */
    public String validate() {
        if (verticalMinPorts < 2) {
            return "vertical-min-ports: expected 2 or more";
        }
        if (horizontalMinHosts < 2) {
            return "horizontal-min-hosts: expected 2 or more";
        }
        if (maxProbePackets < 1) {
            return "max-probe-packets: expected 1 or more";
        }
        if (maxTargetsPerSource < verticalMinPorts || maxTargetsPerSource < horizontalMinHosts) {
            return "max-targets-per-source: expected at least the two thresholds";
        }
        for (Integer p : ignorePorts) {
            if (p == null || p < 0 || p > 65535) {
                return "ignore-ports: expected ports 0-65535, got " + p;
            }
        }
        for (String s : allowSources) {
            if (Cidr.tryParse(s) == null) {
                return "allow-sources: expected CIDRs such as 192.0.2.0/24, got '" + s + "'";
            }
        }
        return null;
    }

    public boolean ignored(int port) {
        return ignorePorts.contains(port);
    }

    public boolean allowed(byte family, long hi, long lo) {
        if (allowed == null) {
            List<Cidr> list = new ArrayList<>();
            for (String s : allowSources) {
                list.add(Cidr.parse(s));
            }
            allowed = list;
        }
        for (Cidr c : allowed) {
            if (c.contains(family, hi, lo)) {
                return true;
            }
        }
        return false;
    }
}
