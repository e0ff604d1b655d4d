package io.flowtrail.report;

import io.flowtrail.model.Alert;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The terminal summary of an output folder: what is in it, the top alerts, rejected traffic over
 * time as a sparkline, and the busiest KMS keys when the folder has KMS usage.
 */
public final class TerminalReport {
    private TerminalReport() {}

    /** At most this many characters of sparkline: buckets grow to fit. */
    static final int SPARKLINE_WIDTH = 60;

    static final int TOP_ALERTS = 10;
    static final int TOP_KEYS = 5;

    public static void print(ReportData d, PrintWriter out) {
        out.printf("flowtrail report: %s%n", d.outDir);
        if (d.hasData()) {
            out.printf(
                    "  data      %s to %s UTC (%s windows)%n",
                    Charts.utc(d.dataStart),
                    Charts.oneDay(d.dataStart, d.dataEnd)
                            ? Charts.tick(d.dataEnd, true)
                            : Charts.utc(d.dataEnd),
                    Charts.durationAdjective(d.windowMillis));
        } else {
            out.println("  data      no summary rows");
        }
        List<String> tables = new ArrayList<>();
        d.tableRows.forEach((t, n) -> tables.add(t + " " + Charts.count(n)));
        out.printf("  tables    %s (rows)%n", String.join(", ", tables));
        if (!d.hasKmsUsage) {
            out.println("  kms_usage none in this folder: KMS parts skipped");
        }

        printAlerts(d, out);
        printRejected(d, out);
        printKms(d, out);
        out.flush();
    }

    private static void printAlerts(ReportData d, PrintWriter out) {
        out.println();
        List<String> bySeverity = new ArrayList<>();
        d.alertsBySeverityCount().forEach((s, n) -> bySeverity.add(n + " " + s));
        out.printf(
                "alerts: %s%s%n",
                Charts.count(d.alerts.size()),
                bySeverity.isEmpty() ? "" : " (" + String.join(", ", bySeverity) + ")");
        List<Alert> top = d.alertsBySeverity();
        for (Alert a : top.subList(0, Math.min(TOP_ALERTS, top.size()))) {
            out.printf(
                    "  %-8s %s  %-22s %s%n",
                    a.severity, Charts.utc(a.windowStart) + "Z", a.category, a.title);
        }
        if (top.size() > TOP_ALERTS) {
            out.printf(
                    "  ... and %d more (report --html shows every alert)%n",
                    top.size() - TOP_ALERTS);
        }
    }

    private static void printRejected(ReportData d, PrintWriter out) {
        out.println();
        long total = d.rejectedTotal();
        if (!d.hasData()) {
            out.println("rejected flows: no data");
            return;
        }
        long bucket = d.bucketMillis(SPARKLINE_WIDTH);
        TreeMap<Long, Map<String, Long>> byBucket = d.rejectedByBucket(bucket);
        long[] values = new long[byBucket.size()];
        long max = 0;
        long maxAt = d.dataStart;
        int i = 0;
        for (Map.Entry<Long, Map<String, Long>> e : byBucket.entrySet()) {
            values[i] = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            if (values[i] > max) {
                max = values[i];
                maxAt = e.getKey();
            }
            i++;
        }
        out.printf(
                "rejected flows per %s (UTC): %s in total%s%n",
                Charts.duration(bucket).replaceFirst("^1 ", ""),
                Charts.count(total),
                d.rejectsFromFlowSummary
                        ? " (no rejects table: from flow_summary, rules unknown)"
                        : "");
        if (values.length > 0) {
            boolean oneDay = Charts.oneDay(d.dataStart, d.dataEnd);
            out.printf(
                    "  %s |%s| %s   max %s at %s%n",
                    Charts.tick(byBucket.firstKey(), oneDay),
                    Charts.sparkline(values),
                    Charts.tick(byBucket.lastKey() + bucket, oneDay),
                    Charts.count(max),
                    Charts.tick(maxAt, oneDay));
        }
        List<String> rules = new ArrayList<>();
        d.rejectedByAttribution().forEach((rule, n) -> rules.add(rule + " " + Charts.count(n)));
        if (!rules.isEmpty()) {
            out.printf("  by rule: %s%n", String.join(", ", rules));
        }
    }

    private static void printKms(ReportData d, PrintWriter out) {
        out.println();
        if (!d.hasKmsUsage) {
            out.printf(
                    "busiest KMS keys: skipped, no kms_usage table in %s (it is written when"
                            + " CloudTrail is read)%n",
                    d.outDir);
            return;
        }
        Map<String, Long> byKey = d.kmsCallsByKey();
        out.printf(
                "busiest KMS keys: %s calls, %s errors, %d keys%n",
                Charts.count(d.kmsCallsTotal()), Charts.count(d.kmsErrorsTotal()), byKey.size());
        int shown = 0;
        for (Map.Entry<String, Long> e : byKey.entrySet()) {
            if (shown++ == TOP_KEYS) {
                break;
            }
            Map<String, Long> principals = new TreeMap<>();
            d.kmsByKeyAndPrincipal.get(e.getKey()).forEach((p, s) -> principals.put(p, s[0]));
            Map.Entry<String, Long> top =
                    ReportData.sortedByValue(principals).entrySet().iterator().next();
            out.printf(
                    "  %9s calls %6s errors  %s  (top: %s %s)%n",
                    Charts.count(e.getValue()),
                    Charts.count(d.kmsErrors(e.getKey())),
                    e.getKey(),
                    Charts.shortArn(top.getKey()),
                    Charts.count(top.getValue()));
        }
    }
}
