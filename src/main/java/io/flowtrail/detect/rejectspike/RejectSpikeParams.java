package io.flowtrail.detect.rejectspike;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * Job-file keys of {@code detectors.rejected-traffic-spike}. Defaults: a public interface sees a
 * handful of rejected probes every few minutes from the internet, and that is not news; hundreds of
 * rejected flows in five minutes on one interface, far above its own history, are.
 */
public final class RejectSpikeParams implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rejected flows per window an interface must reach before anything fires. */
    @JsonProperty("interface-floor")
    public long interfaceFloor = 50;

    /** The same for a subnet (all its interfaces). */
    @JsonProperty("subnet-floor")
    public long subnetFloor = 100;

    /** The same for a VPC. */
    @JsonProperty("vpc-floor")
    public long vpcFloor = 200;

    /** Fire above the baseline mean by this many standard deviations. */
    @JsonProperty("k")
    public double k = 4.0;

    /** The standard deviation used is at least this (a flat history is not zero risk). */
    @JsonProperty("min-stddev")
    public double minStddev = 5.0;

    /** Windows of history before the baseline is trusted. */
    @JsonProperty("warm-up-windows")
    public int warmUpWindows = 6;

    /**
     * Cold start: until warm-up is over, a key fires only at this many rejected flows per window
     * (scaled like the floors for subnets and VPCs).
     */
    @JsonProperty("cold-start-floor")
    public long coldStartFloor = 100;

    /**
     * A subnet or VPC spike is reported only when it is spread out: no single interface holds more
     * than this share of it (otherwise that interface's own alert covers it).
     */
    @JsonProperty("spread-max-share")
    public double spreadMaxShare = 0.5;

    /**
     * Flows from a source that hit at least this many distinct ports in the window are left to the
     * port-scan detector and not counted here.
     */
    @JsonProperty("scan-exclusion-ports")
    public int scanExclusionPorts = 25;

    /**
     * A configuration snapshot that took effect this long before a window's end is named in the
     * evidence.
     */
    @JsonProperty("config-change-lookback")
    public String configChangeLookback = "15m";

    /**
     * After an alert, the same key raises no new one for this long (an ongoing spike is one alert).
     */
    @JsonProperty("suppress-for")
    public String suppressFor = "30m";

    /** A key quiet for longer than this forgets its baseline (and its state expires). */
    @JsonProperty("forget-after")
    public String forgetAfter = "24h";

    @JsonProperty("enabled")
    public boolean enabled = true;

    public RejectSpikeParams() {}

    public String validate() {
        if (interfaceFloor < 1 || subnetFloor < 1 || vpcFloor < 1 || coldStartFloor < 1) {
            return "interface-floor, subnet-floor, vpc-floor, cold-start-floor: expected 1 or more";
        }
        if (k <= 0) {
            return "k: expected more than 0";
        }
        if (minStddev < 0) {
            return "min-stddev: expected 0 or more";
        }
        if (warmUpWindows < 1) {
            return "warm-up-windows: expected 1 or more";
        }
        if (spreadMaxShare <= 0 || spreadMaxShare > 1) {
            return "spread-max-share: expected more than 0 and at most 1";
        }
        if (scanExclusionPorts < 2) {
            return "scan-exclusion-ports: expected 2 or more";
        }
        return null;
    }
}
