package io.flowtrail.sink;

import io.flowtrail.model.Alert;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowSummaryRow;
import io.flowtrail.model.KmsUsageRow;
import io.flowtrail.model.RejectRow;

/**
 * The output tables and their columns: the contract that dashboards and queries build against.
 * Columns may be added; none is renamed or removed without a changelog entry in the README.
 */
public final class Tables {
    private Tables() {}

    public static final ParquetTable<FlowSummaryRow> FLOW_SUMMARY =
            ParquetTable.<FlowSummaryRow>named("flow_summary")
                    .timestamp("window_start", r -> r.windowStart)
                    .timestamp("window_end", r -> r.windowEnd)
                    .string("account_id", r -> r.accountId)
                    .string("vpc_id", r -> r.vpcId)
                    .string("subnet_id", r -> r.subnetId)
                    .string("interface_id", r -> r.interfaceId)
                    .string("direction", r -> r.direction)
                    .string("action", r -> r.action)
                    .int32("protocol", r -> r.protocol, -1)
                    .int64("flows", r -> r.flows)
                    .int64("packets", r -> r.packets)
                    .int64("bytes", r -> r.bytes)
                    .int64("distinct_src_addrs", r -> r.distinctSrcAddrs)
                    .int64("distinct_dst_addrs", r -> r.distinctDstAddrs)
                    .int64("distinct_dst_ports", r -> r.distinctDstPorts)
                    .build();

    public static final ParquetTable<RejectRow> REJECTS =
            ParquetTable.<RejectRow>named("rejects")
                    .timestamp("window_start", r -> r.windowStart)
                    .timestamp("window_end", r -> r.windowEnd)
                    .string("account_id", r -> r.accountId)
                    .string("interface_id", r -> r.interfaceId)
                    .int32("protocol", r -> r.protocol, -1)
                    .int32("dst_port", r -> r.dstPort, -1)
                    .string("attributed_to", r -> r.attributedTo)
                    .int64("flows", r -> r.flows)
                    .int64("packets", r -> r.packets)
                    .int64("distinct_src_addrs", r -> r.distinctSrcAddrs)
                    .string("vpc_id", r -> r.vpcId)
                    .string("subnet_id", r -> r.subnetId)
                    .string("direction", r -> r.direction)
                    .build();

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

    public static final ParquetTable<DeadLetter> DEAD_LETTERS =
            ParquetTable.<DeadLetter>named("dead_letters")
                    .string("source", r -> r.source)
                    .string("location", r -> r.location)
                    .string("reason", r -> r.reason)
                    .string("raw", r -> r.raw)
                    .timestamp("seen_at", r -> r.seenAtMillis)
                    .build();

    public static final ParquetTable<Alert> ALERTS =
            ParquetTable.<Alert>named("alerts")
                    .string("alert_id", r -> r.alertId)
                    .string("category", r -> r.category)
                    .string("detector", r -> r.detector)
                    .string("severity", r -> r.severity)
                    .timestamp("window_start", r -> r.windowStart)
                    .timestamp("window_end", r -> r.windowEnd)
                    .string("account_id", r -> r.accountId)
                    .string("region", r -> r.region)
                    .string("interface_id", r -> r.interfaceId)
                    .string("src_addr", r -> r.srcAddr)
                    .string("dst_addr", r -> r.dstAddr)
                    .int32("dst_port", r -> r.dstPort, Alert.NO_PORT)
                    .string("principal_arn", r -> r.principalArn)
                    .string("key_arn", r -> r.keyArn)
                    .float64("observed", r -> r.observed)
                    .float64("expected", r -> r.expected)
                    .string("title", r -> r.title)
                    .string("evidence", r -> r.evidence)
                    .build();
}
