package io.flowtrail.model;

import java.util.Objects;

/**
 * One row of the {@code alerts} table. Columns that do not apply to a detector are null: {@code
 * null} text, {@link #NO_PORT} for {@link #dstPort}, {@code NaN} for {@link #observed} and {@link
 * #expected}. {@link #alertId} is deterministic: the same input gives the same id in every mode.
 */
public class Alert {
    public static final int NO_PORT = -1;

    public String alertId;

    /**
     * {@code rejected_traffic_spike}, {@code port_scan}, {@code unexpected_egress}, {@code
     * anomalous_key_usage}, {@code correlated_incident} or {@code config_posture}.
     */
    public String category;

    /** The rule inside the category. */
    public String detector;

    /** {@code LOW}, {@code MEDIUM}, {@code HIGH} or {@code CRITICAL}. */
    public String severity;

    public long windowStart;
    public long windowEnd;
    public String accountId;
    public String region;
    public String interfaceId;
    public String srcAddr;
    public String dstAddr;
    public int dstPort = NO_PORT;
    public String principalArn;
    public String keyArn;
    public double observed = Double.NaN;
    public double expected = Double.NaN;
    public String title;

    /** JSON text: the numbers that made the alert fire. */
    public String evidence;

    public Alert() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert a = (Alert) o;
        return Objects.equals(alertId, a.alertId)
                && Objects.equals(evidence, a.evidence)
                && windowStart == a.windowStart
                && windowEnd == a.windowEnd
                && Objects.equals(severity, a.severity);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(alertId);
    }

    @Override
    public String toString() {
        return severity + " " + category + "/" + detector + " " + alertId + ": " + title;
    }
}
