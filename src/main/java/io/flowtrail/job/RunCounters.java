package io.flowtrail.job;

/**
 * Names of the Flink accumulators that make a run's counts close: records read = records summarised
 * + NODATA/SKIPDATA + dead letters (parse failures and late records).
 */
public final class RunCounters {
    private RunCounters() {}

    public static final String READ = "flowtrail.flow.read";
    public static final String TRAFFIC = "flowtrail.flow.traffic";
    public static final String NODATA = "flowtrail.flow.nodata";
    public static final String SKIPDATA = "flowtrail.flow.skipdata";
    public static final String UNPARSED = "flowtrail.flow.unparsed";
    public static final String LATE = "flowtrail.flow.late";

    public static final String CLOUDTRAIL_KMS = "flowtrail.cloudtrail.kms";
    public static final String CLOUDTRAIL_NETWORK_CHANGES = "flowtrail.cloudtrail.network-changes";
    public static final String CLOUDTRAIL_DEAD = "flowtrail.cloudtrail.dead";
    public static final String KMS_LATE = "flowtrail.cloudtrail.late";

    /** Rows written to a table: {@code flowtrail.rows.flow_summary}. */
    public static String rows(String table) {
        return "flowtrail.rows." + table;
    }
}
