package io.flowtrail.detect.egress;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowtrail.model.Cidr;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Job-file keys of {@code detectors.unexpected-egress}. Defaults: hosts keep talking to new
 * internet addresses all the time (CDNs rotate, package mirrors move), so a new destination alone
 * is not news; a new destination that receives a lot of data after the host's warm-up is. Volume is
 * judged against each interface's own history.
 */
public final class EgressParams implements Serializable {
    private static final long serialVersionUID = 1L;

    /** An egress policy: what the interfaces of a scope may reach outside their VPC. */
    public static final class Policy implements Serializable {
        private static final long serialVersionUID = 1L;

        /** A VPC or subnet id ({@code vpc-...}, {@code subnet-...}). */
        @JsonProperty("scope")
        public String scope;

        @JsonProperty("allow-cidrs")
        public List<String> allowCidrs = new ArrayList<>();

        /** Destination ports allowed to any address; empty: no port is allowed on its own. */
        @JsonProperty("allow-ports")
        public List<Integer> allowPorts = new ArrayList<>();

        /** AWS services allowed ({@code pkt-dst-aws-service} values such as S3, DYNAMODB). */
        @JsonProperty("allow-services")
        public List<String> allowServices = new ArrayList<>();

        transient List<Cidr> cidrs;

        public Policy() {}
    }

    /** Egress policies; a flow of an interface in a scope that no allow matches is unexpected. */
    @JsonProperty("policies")
    public List<Policy> policies = new ArrayList<>();

    /** Bytes a new destination must receive in a window to raise an alert. */
    @JsonProperty("new-destination-min-bytes")
    public long newDestinationMinBytes = 100L * 1024 * 1024;

    /**
     * Destinations are remembered by prefix: /24 for IPv4, /48 for IPv6 (CDNs move inside them).
     */
    @JsonProperty("destination-prefix-v4")
    public int destinationPrefixV4 = 24;

    @JsonProperty("destination-prefix-v6")
    public int destinationPrefixV6 = 48;

    /** Windows an interface is watched, learning its destinations, before it can alert. */
    @JsonProperty("warm-up-windows")
    public int warmUpWindows = 6;

    /** Destinations remembered per interface; beyond it, new ones are not learned (nor alerted). */
    @JsonProperty("max-destinations-per-interface")
    public int maxDestinationsPerInterface = 20_000;

    /** How long a destination is remembered after it was last seen. */
    @JsonProperty("remember-for")
    public String rememberFor = "7d";

    /** Volume: bytes out to external destinations per window must reach this to fire. */
    @JsonProperty("volume-floor-bytes")
    public long volumeFloorBytes = 1024L * 1024 * 1024;

    /** Volume: fire above the interface's baseline mean by this many standard deviations. */
    @JsonProperty("volume-k")
    public double volumeK = 4.0;

    /**
     * After an alert, the same interface raises no new alert of the same detector for this long.
     */
    @JsonProperty("suppress-for")
    public String suppressFor = "30m";

    @JsonProperty("enabled")
    public boolean enabled = true;

    public EgressParams() {}

    public String validate() {
        if (newDestinationMinBytes < 0) {
            return "new-destination-min-bytes: expected 0 or more";
        }
        if (destinationPrefixV4 < 8 || destinationPrefixV4 > 32) {
            return "destination-prefix-v4: expected 8 to 32";
        }
        if (destinationPrefixV6 < 16 || destinationPrefixV6 > 128) {
            return "destination-prefix-v6: expected 16 to 128";
        }
        if (warmUpWindows < 1) {
            return "warm-up-windows: expected 1 or more";
        }
        if (maxDestinationsPerInterface < 1) {
            return "max-destinations-per-interface: expected 1 or more";
        }
        if (volumeFloorBytes < 1 || volumeK <= 0) {
            return "volume-floor-bytes and volume-k: expected more than 0";
        }
        for (int i = 0; i < policies.size(); i++) {
            Policy p = policies.get(i);
            if (p.scope == null || !(p.scope.startsWith("vpc-") || p.scope.startsWith("subnet-"))) {
                return "policies[" + i + "].scope: expected a vpc- or subnet- id";
            }
            for (String c : p.allowCidrs) {
                if (Cidr.tryParse(c) == null) {
                    return "policies[" + i + "].allow-cidrs: expected CIDRs, got '" + c + "'";
                }
            }
            for (Integer port : p.allowPorts) {
                if (port == null || port < 0 || port > 65535) {
                    return "policies[" + i + "].allow-ports: expected ports 0-65535";
                }
            }
        }
        return null;
    }

    /** The policies that apply to an interface in this VPC and subnet. */
    List<Policy> policiesFor(String vpcId, String subnetId) {
        if (policies.isEmpty()) {
            return List.of(); // the default: no allocation per flow
        }
        List<Policy> out = new ArrayList<>();
        for (Policy p : policies) {
            if (p.scope.equals(vpcId) || p.scope.equals(subnetId)) {
                out.add(p);
            }
        }
        return out;
    }

    static boolean allows(Policy p, EgressEvent e) {
        if (p.cidrs == null) {
            List<Cidr> list = new ArrayList<>();
            for (String c : p.allowCidrs) {
                list.add(Cidr.parse(c));
            }
            p.cidrs = list;
        }
        if (p.allowPorts.contains(e.dstPort)) {
            return true;
        }
        if (e.dstAwsService != null && p.allowServices.contains(e.dstAwsService)) {
            return true;
        }
        for (Cidr c : p.cidrs) {
            if (c.contains(e.dstFamily, e.dstHi, e.dstLo)) {
                return true;
            }
        }
        return false;
    }
}
