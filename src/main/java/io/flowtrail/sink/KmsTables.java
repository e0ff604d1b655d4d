package io.flowtrail.sink;

import io.flowtrail.model.KmsUsageRow;

/**
 * The {@code kms_usage} table (DESIGN.md), declared like those of {@link Tables}; it moves there
 * when the CloudTrail pipeline is wired.
 */
public final class KmsTables {
    private KmsTables() {}

    public static final ParquetTable<KmsUsageRow> KMS_USAGE =
            ParquetTable.<KmsUsageRow>named("kms_usage")
                    .timestamp("window_start", r -> r.windowStart)
                    .timestamp("window_end", r -> r.windowEnd)
                    .string("account_id", r -> r.accountId)
                    .string("region", r -> r.region)
                    .string("key_arn", r -> r.keyArn)
                    .string("principal_arn", r -> r.principalArn)
                    .string("event_name", r -> r.eventName)
                    .int64("calls", r -> r.calls)
                    .int64("errors", r -> r.errors)
                    .int64("distinct_source_ips", r -> r.distinctSourceIps)
                    .int64("via_vpc_endpoint", r -> r.viaVpcEndpoint)
                    .build();
}
