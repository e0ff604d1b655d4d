package io.flowtrail.model;

import java.util.Objects;

/**
 * One row of the {@code kms_usage} table: the calls of one principal with one key, of one KMS
 * operation, in one window. Times are epoch milliseconds (UTC instants in Parquet).
 */
public class KmsUsageRow {
    public long windowStart;
    public long windowEnd;

    /** The account whose trail recorded the calls ({@code recipientAccountId}). */
    public String accountId;

    public String region;

    /** Null for calls that name no key ({@code ListKeys}) or name it only by an unknown alias. */
    public String keyArn;

    public String principalArn;
    public String eventName;
    public long calls;

    /** Calls that failed ({@code errorCode} set). */
    public long errors;

    /** Distinct source addresses; service names ({@code s3.amazonaws.com}) are not counted. */
    public long distinctSourceIps;

    /** Calls made through an interface VPC endpoint ({@code vpcEndpointId} {@code vpce-...}). */
    public long viaVpcEndpoint;

    public KmsUsageRow() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KmsUsageRow)) {
            return false;
        }
        KmsUsageRow r = (KmsUsageRow) o;
        return windowStart == r.windowStart
                && windowEnd == r.windowEnd
                && calls == r.calls
                && errors == r.errors
                && distinctSourceIps == r.distinctSourceIps
                && viaVpcEndpoint == r.viaVpcEndpoint
                && Objects.equals(accountId, r.accountId)
                && Objects.equals(region, r.region)
                && Objects.equals(keyArn, r.keyArn)
                && Objects.equals(principalArn, r.principalArn)
                && Objects.equals(eventName, r.eventName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, keyArn, principalArn, eventName);
    }

    @Override
    public String toString() {
        return "KmsUsageRow{"
                + windowStart
                + " "
                + keyArn
                + " "
                + principalArn
                + " "
                + eventName
                + " calls="
                + calls
                + " errors="
                + errors
                + " sources="
                + distinctSourceIps
                + " vpce="
                + viaVpcEndpoint
                + "}";
    }
}
