package io.flowtrail.report;

import io.flowtrail.model.Alert;
import io.flowtrail.sink.TableReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code report} shows, summed in one pass over an output folder: rejected flows per window
 * and rule, accepted egress bytes per interface, the alerts, and KMS calls per key and principal
 * when the folder has a {@code kms_usage} table. Both the terminal summary and the HTML page draw
 * from this one object, and the page embeds its totals, so what is drawn is what is checked.
 */
public final class ReportData {
    /** The window of the tables when no row tells (the default {@code flow-logs.window}). */
    static final long DEFAULT_WINDOW_MILLIS = 5 * 60_000L;

    /** The attribution shown for a REJECT whose {@code attributed_to} is null. */
    static final String UNATTRIBUTED = "unattributed";

    static final String NO_KEY = "(no key)";
    static final String NO_PRINCIPAL = "(no principal)";

    /** The tables of an output folder, in the order the report lists them. */
    static final List<String> TABLES =
            List.of("flow_summary", "rejects", "alerts", "dead_letters", "kms_usage");

    final Path outDir;

    /** Rows per table, for the tables the folder has. */
    final Map<String, Long> tableRows = new LinkedHashMap<>();

    /** The most common window length of the summary tables. */
    long windowMillis = DEFAULT_WINDOW_MILLIS;

    /** The time the summary tables cover: the first window start and the last window end. */
    long dataStart = Long.MAX_VALUE;

    long dataEnd = Long.MIN_VALUE;

    /** Window start, then attribution: rejected flows. */
    final TreeMap<Long, Map<String, Long>> rejectedByWindow = new TreeMap<>();

    /** True when the folder has no rejects table and the REJECTs come from flow_summary. */
    boolean rejectsFromFlowSummary;

    /** Accepted egress bytes per interface (flow_summary rows with direction egress). */
    final Map<String, Long> egressBytesByInterface = new HashMap<>();

    final Map<String, String> subnetByInterface = new HashMap<>();

    /** flow_summary rows whose direction is unknown (no flow-direction and no configuration). */
    long unknownDirectionRows;

    long flowSummaryBytes;

    /**
     * Alerts in time order (window start, then severity, then id); numbered from 1 in that order.
     */
    final List<Alert> alerts = new ArrayList<>();

    private final Map<Alert, Integer> numbers = new IdentityHashMap<>();

    boolean hasKmsUsage;

    /** Key, then principal: {calls, errors}. */
    final Map<String, Map<String, long[]>> kmsByKeyAndPrincipal = new HashMap<>();

    /** Window start: KMS calls. */
    final TreeMap<Long, Long> kmsCallsByWindow = new TreeMap<>();

    private ReportData(Path outDir) {
        this.outDir = outDir;
    }

    /** Reads the tables of an output folder. */
    public static ReportData read(Path outDir) throws IOException {
        ReportData d = new ReportData(outDir);
        for (String t : TABLES) {
            Path dir = outDir.resolve(t);
            if (ParquetRows.exists(dir)) {
                d.tableRows.put(t, ParquetRows.count(dir));
            }
        }
        Map<Long, Long> windowLengths = new HashMap<>();
        d.readFlowSummary(windowLengths);
        d.readRejects(windowLengths);
        d.windowMillis =
                windowLengths.entrySet().stream()
                        .filter(e -> e.getKey() > 0)
                        .max(
                                Map.Entry.<Long, Long>comparingByValue()
                                        .thenComparing(Map.Entry.comparingByKey()))
                        .map(Map.Entry::getKey)
                        .orElse(DEFAULT_WINDOW_MILLIS);
        d.readAlerts();
        d.readKmsUsage();
        return d;
    }

    /** Whether the folder has any Flowtrail table at all. */
    public boolean isOutputFolder() {
        return !tableRows.isEmpty();
    }

    public Path outDir() {
        return outDir;
    }

    private void readFlowSummary(Map<Long, Long> windowLengths) throws IOException {
        boolean useForRejects = !ParquetRows.exists(outDir.resolve("rejects"));
        rejectsFromFlowSummary = useForRejects && tableRows.containsKey("flow_summary");
        ParquetRows.forEach(
                outDir.resolve("flow_summary"),
                List.of(
                        "window_start",
                        "window_end",
                        "interface_id",
                        "subnet_id",
                        "direction",
                        "action",
                        "flows",
                        "bytes"),
                g -> {
                    long ws = TableReader.number(g, "window_start", 0);
                    long we = TableReader.number(g, "window_end", ws);
                    cover(ws, we);
                    windowLengths.merge(we - ws, 1L, Long::sum);
                    long bytes = TableReader.number(g, "bytes", 0);
                    flowSummaryBytes += bytes;
                    String direction = TableReader.text(g, "direction");
                    String action = TableReader.text(g, "action");
                    String eni = orElse(TableReader.text(g, "interface_id"), "(no interface)");
                    if ("egress".equals(direction) && !"REJECT".equals(action)) {
                        egressBytesByInterface.merge(eni, bytes, Long::sum);
                        String subnet = TableReader.text(g, "subnet_id");
                        if (subnet != null) {
                            subnetByInterface.put(eni, subnet);
                        }
                    } else if (direction == null || "unknown".equals(direction)) {
                        unknownDirectionRows++;
                    }
                    if (useForRejects && "REJECT".equals(action)) {
                        addRejected(ws, UNATTRIBUTED, TableReader.number(g, "flows", 0));
                    }
                });
    }

    private void readRejects(Map<Long, Long> windowLengths) throws IOException {
        ParquetRows.forEach(
                outDir.resolve("rejects"),
                List.of("window_start", "window_end", "attributed_to", "flows"),
                g -> {
                    long ws = TableReader.number(g, "window_start", 0);
                    long we = TableReader.number(g, "window_end", ws);
                    cover(ws, we);
                    windowLengths.merge(we - ws, 1L, Long::sum);
                    addRejected(
                            ws,
                            orElse(TableReader.text(g, "attributed_to"), UNATTRIBUTED),
                            TableReader.number(g, "flows", 0));
                });
    }

    private void readAlerts() throws IOException {
        if (!tableRows.containsKey("alerts")) {
            return;
        }
        alerts.addAll(TableReader.alerts(outDir));
        alerts.sort(
                Comparator.comparingLong((Alert a) -> a.windowStart)
                        .thenComparingInt(a -> severityRank(a.severity))
                        .thenComparing(a -> orElse(a.alertId, "")));
        for (Alert a : alerts) {
            numbers.put(a, numbers.size() + 1);
        }
    }

    private void readKmsUsage() throws IOException {
        hasKmsUsage = tableRows.containsKey("kms_usage");
        ParquetRows.forEach(
                outDir.resolve("kms_usage"),
                List.of("window_start", "key_arn", "principal_arn", "calls", "errors"),
                g -> {
                    long calls = TableReader.number(g, "calls", 0);
                    long errors = TableReader.number(g, "errors", 0);
                    long[] sums =
                            kmsByKeyAndPrincipal
                                    .computeIfAbsent(
                                            orElse(TableReader.text(g, "key_arn"), NO_KEY),
                                            k -> new HashMap<>())
                                    .computeIfAbsent(
                                            orElse(
                                                    TableReader.text(g, "principal_arn"),
                                                    NO_PRINCIPAL),
                                            p -> new long[2]);
                    sums[0] += calls;
                    sums[1] += errors;
                    kmsCallsByWindow.merge(
                            TableReader.number(g, "window_start", 0), calls, Long::sum);
                });
    }

    private void cover(long windowStart, long windowEnd) {
        dataStart = Math.min(dataStart, windowStart);
        dataEnd = Math.max(dataEnd, Math.max(windowEnd, windowStart));
    }

    private void addRejected(long windowStart, String attribution, long flows) {
        rejectedByWindow
                .computeIfAbsent(windowStart, w -> new HashMap<>())
                .merge(attribution, flows, Long::sum);
    }

    // ---- derived views, shared by the terminal summary and the page ----

    boolean hasData() {
        return dataStart <= dataEnd && dataStart != Long.MAX_VALUE;
    }

    /**
     * A bucket for a time series over the data's range: the window itself, or the smallest of the
     * usual steps (multiples of the window) that gives at most {@code maxBuckets} buckets.
     */
    long bucketMillis(int maxBuckets) {
        if (!hasData() || bucketCount(windowMillis) <= maxBuckets) {
            return windowMillis;
        }
        for (long step : Charts.TIME_STEPS) {
            if (step > windowMillis
                    && step % windowMillis == 0
                    && bucketCount(step) <= maxBuckets) {
                return step;
            }
        }
        long k = 2;
        while (bucketCount(k * windowMillis) > maxBuckets) {
            k *= 2;
        }
        return k * windowMillis;
    }

    /** How many buckets of {@code bucket} the data's range spans. */
    private long bucketCount(long bucket) {
        long last = Math.max(dataStart, dataEnd - 1);
        return (bucketOf(last, bucket) - bucketOf(dataStart, bucket)) / bucket + 1;
    }

    /** The start of the bucket that holds {@code t} (buckets are aligned to the UTC epoch). */
    static long bucketOf(long t, long bucket) {
        return Math.floorDiv(t, bucket) * bucket;
    }

    /** Every bucket start over the data's range, in order, with no gaps. */
    List<Long> buckets(long bucket) {
        List<Long> starts = new ArrayList<>();
        if (!hasData()) {
            return starts;
        }
        for (long b = bucketOf(dataStart, bucket);
                b < Math.max(dataEnd, dataStart + 1);
                b += bucket) {
            starts.add(b);
        }
        return starts;
    }

    /** Rejected flows per bucket and attribution, every bucket of the range present. */
    TreeMap<Long, Map<String, Long>> rejectedByBucket(long bucket) {
        TreeMap<Long, Map<String, Long>> out = new TreeMap<>();
        for (long b : buckets(bucket)) {
            out.put(b, new HashMap<>());
        }
        rejectedByWindow.forEach(
                (w, byRule) -> {
                    Map<String, Long> m =
                            out.computeIfAbsent(bucketOf(w, bucket), x -> new HashMap<>());
                    byRule.forEach((rule, flows) -> m.merge(rule, flows, Long::sum));
                });
        return out;
    }

    /** Rejected flows per attribution, largest first. */
    LinkedHashMap<String, Long> rejectedByAttribution() {
        Map<String, Long> sums = new HashMap<>();
        rejectedByWindow.values().forEach(m -> m.forEach((k, v) -> sums.merge(k, v, Long::sum)));
        return sortedByValue(sums);
    }

    long rejectedTotal() {
        return rejectedByWindow.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(Long::longValue)
                .sum();
    }

    LinkedHashMap<String, Long> egressByInterface() {
        return sortedByValue(egressBytesByInterface);
    }

    long egressTotal() {
        return egressBytesByInterface.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Alerts by severity (most severe first), then time. */
    List<Alert> alertsBySeverity() {
        List<Alert> sorted = new ArrayList<>(alerts);
        sorted.sort(
                Comparator.comparingInt((Alert a) -> severityRank(a.severity))
                        .thenComparingLong(a -> a.windowStart)
                        .thenComparing(a -> orElse(a.alertId, "")));
        return sorted;
    }

    /** The alert's number in time order, from 1: how the page's timeline and list name it. */
    int number(Alert a) {
        return numbers.getOrDefault(a, 0);
    }

    LinkedHashMap<String, Long> alertsByCategory() {
        Map<String, Long> counts = new HashMap<>();
        for (Alert a : alerts) {
            counts.merge(orElse(a.category, "(none)"), 1L, Long::sum);
        }
        return sortedByValue(counts);
    }

    LinkedHashMap<String, Long> alertsBySeverityCount() {
        LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
        for (String s : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW")) {
            long n = alerts.stream().filter(a -> s.equals(a.severity)).count();
            if (n > 0) {
                counts.put(s, n);
            }
        }
        long other = alerts.stream().filter(a -> severityRank(a.severity) > 3).count();
        if (other > 0) {
            counts.put("(other)", other);
        }
        return counts;
    }

    /** KMS calls per key, largest first. */
    LinkedHashMap<String, Long> kmsCallsByKey() {
        Map<String, Long> sums = new HashMap<>();
        kmsByKeyAndPrincipal.forEach(
                (key, byPrincipal) ->
                        byPrincipal.values().forEach(s -> sums.merge(key, s[0], Long::sum)));
        return sortedByValue(sums);
    }

    /** KMS calls per principal over all keys, largest first. */
    LinkedHashMap<String, Long> kmsCallsByPrincipal() {
        Map<String, Long> sums = new HashMap<>();
        kmsByKeyAndPrincipal
                .values()
                .forEach(m -> m.forEach((p, s) -> sums.merge(p, s[0], Long::sum)));
        return sortedByValue(sums);
    }

    long kmsErrors(String key) {
        return kmsByKeyAndPrincipal.getOrDefault(key, Map.of()).values().stream()
                .mapToLong(s -> s[1])
                .sum();
    }

    long kmsCallsTotal() {
        return kmsCallsByKey().values().stream().mapToLong(Long::longValue).sum();
    }

    long kmsErrorsTotal() {
        return kmsByKeyAndPrincipal.keySet().stream().mapToLong(this::kmsErrors).sum();
    }

    /** 0 for CRITICAL up to 3 for LOW, 4 for anything else: sorts the most severe first. */
    static int severityRank(String severity) {
        switch (severity == null ? "" : severity) {
            case "CRITICAL":
                return 0;
            case "HIGH":
                return 1;
            case "MEDIUM":
                return 2;
            case "LOW":
                return 3;
            default:
                return 4;
        }
    }

    static <K extends Comparable<K>> LinkedHashMap<K, Long> sortedByValue(Map<K, Long> m) {
        List<Map.Entry<K, Long>> entries = new ArrayList<>(m.entrySet());
        entries.sort(
                Map.Entry.<K, Long>comparingByValue(Collections.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()));
        LinkedHashMap<K, Long> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static String orElse(String value, String absent) {
        return value == null || value.isEmpty() ? absent : value;
    }
}
