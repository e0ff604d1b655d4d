package io.flowtrail.support;

import io.flowtrail.job.JobSpec;
import io.flowtrail.job.ReplayJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;

/**
 * The batch replay of sample-logs (with its configuration, and optionally its CloudTrail): what
 * streaming runs must equal.
 */
public final class ReplayReference {
    private ReplayReference() {}

    public static Path run(Path out) throws Exception {
        return run(out, false);
    }

    private static Path withCloudTrail;

    /**
     * The replay of the sample with its CloudTrail too (kms_usage, the KMS detectors and the
     * correlations), run once per test JVM and shared: the tests only read it.
     */
    public static synchronized Path withCloudTrail() throws Exception {
        if (withCloudTrail == null) {
            Path out = Files.createTempDirectory("replay-with-cloudtrail");
            run(out, true);
            withCloudTrail = out;
        }
        return withCloudTrail;
    }

    private static Path run(Path out, boolean cloudTrail) throws Exception {
        ReplayJob.Options o = new ReplayJob.Options();
        o.flowLogPaths = List.of(SampleLogs.DIR.resolve("flow-logs").toString());
        o.configPaths = List.of(SampleLogs.DIR.resolve("config").toString());
        if (cloudTrail) {
            o.cloudTrailPaths = List.of(SampleLogs.DIR.resolve("cloudtrail").toString());
        }
        o.outDir = out.toString();
        o.spec = JobSpec.defaults();
        o.parallelism = 2;
        o.mode = RuntimeExecutionMode.BATCH;
        o.progress = false;
        ReplayJob.run(o, new PrintWriter(new StringWriter()));
        return out;
    }

    /** flow_summary rows of the sample hour (a streaming run may hold later, open windows). */
    public static final String SUMMARY_ROWS =
            "SELECT window_start, window_end, account_id, vpc_id, subnet_id, interface_id, direction,"
                    + " action, protocol, flows, packets, bytes, distinct_src_addrs,"
                    + " distinct_dst_addrs, distinct_dst_ports FROM %s"
                    + " WHERE window_start < TIMESTAMPTZ '2026-11-02 11:00:00+00' ORDER BY ALL";

    public static final String ALERT_ROWS = "SELECT * EXCLUDE (dt, hr) FROM %s ORDER BY ALL";

    /** kms_usage rows of the sample hour. */
    public static final String KMS_USAGE_ROWS =
            "SELECT * EXCLUDE (dt, hr) FROM %s"
                    + " WHERE window_start < TIMESTAMPTZ '2026-11-02 11:00:00+00' ORDER BY ALL";

    public static final String FLOWS_IN_THE_HOUR =
            "SELECT coalesce(sum(flows), 0) FROM %s"
                    + " WHERE window_start < TIMESTAMPTZ '2026-11-02 11:00:00+00'";
}
