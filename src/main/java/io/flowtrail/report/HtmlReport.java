package io.flowtrail.report;

import static io.flowtrail.report.Charts.esc;
import static io.flowtrail.report.Charts.num;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.model.Alert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.function.LongToDoubleFunction;

/**
 * The report as one self-contained HTML page: inline CSS, charts drawn here as inline SVG, no
 * script and no request at view time (it opens from a file, offline, and can be mailed). Charts:
 * rejected flows per window stacked by the rule that rejected them, the alert timeline by category,
 * accepted egress bytes per interface, KMS calls per key and principal, then every alert with its
 * evidence. Every time is UTC and says so.
 *
 * <p>The plotted totals are also embedded as JSON ({@code <script type="application/json"
 * id="flowtrail-data">}), and every bar carries its value ({@code data-value}), so a test can
 * compare the drawing with the tables.
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Width of every chart, in SVG units (the page shows them at this size at 1280 px). */
    static final int WIDTH = 1160;

    static final int MAX_BUCKETS = 96;
    static final int TOP_INTERFACES = 15;
    static final int TOP_KEYS = 10;
    static final int TOP_PRINCIPALS = 7;

    /** The categories of the contract, in the order the timeline lists them. */
    static final List<String> CATEGORIES =
            List.of(
                    "rejected_traffic_spike",
                    "port_scan",
                    "unexpected_egress",
                    "anomalous_key_usage",
                    "correlated_incident",
                    "config_posture");

    static final Map<String, String> SEVERITY_COLORS =
            Map.of(
                    "CRITICAL", "#7f0000",
                    "HIGH", "#d62728",
                    "MEDIUM", "#f28e2b",
                    "LOW", "#4e79a7");

    public static String render(ReportData d) {
        long bucket = d.bucketMillis(MAX_BUCKETS);
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Flowtrail report: ")
                .append(esc(d.outDir.toString()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");
        header(h, d);
        rejectedChart(h, d, bucket);
        alertTimeline(h, d);
        egressChart(h, d);
        kmsChart(h, d);
        alertList(h, d);
        h.append("<footer>Written by <code>flowtrail report</code> from the Parquet tables of ")
                .append(esc(d.outDir.toString()))
                .append(
                        ". All times are UTC. The page needs no network: the charts are inline SVG.")
                .append("</footer>\n</main>\n");
        h.append("<script type=\"application/json\" id=\"flowtrail-data\">\n")
                .append(safeJson(data(d, bucket)))
                .append("\n</script>\n</body>\n</html>\n");
        return h.toString();
    }

    // ---- header ----

    private static void header(StringBuilder h, ReportData d) {
        h.append("<header>\n<h1>Flowtrail report</h1>\n<p class=\"sub\">")
                .append(esc(d.outDir.toString()));
        if (d.hasData()) {
            h.append(" &middot; ")
                    .append(esc(range(d.dataStart, d.dataEnd)))
                    .append(" &middot; ")
                    .append(esc(Charts.durationAdjective(d.windowMillis)))
                    .append(" windows");
        }
        h.append("</p>\n<p class=\"tables\">Tables: ");
        List<String> tables = new ArrayList<>();
        d.tableRows.forEach(
                (t, n) ->
                        tables.add(
                                "<code>" + esc(t) + "</code> " + esc(Charts.count(n)) + " rows"));
        if (!d.hasKmsUsage) {
            tables.add("<code>kms_usage</code> <em>not in this folder</em>");
        }
        h.append(String.join(" &middot; ", tables)).append("</p>\n</header>\n");

        h.append("<section class=\"tiles\">\n");
        List<String> sev = new ArrayList<>();
        d.alertsBySeverityCount()
                .forEach(
                        (s, n) ->
                                sev.add(
                                        "<span class=\"sev sev-"
                                                + esc(s)
                                                + "\">"
                                                + n
                                                + " "
                                                + esc(s)
                                                + "</span>"));
        tile(h, "Alerts", Charts.count(d.alerts.size()), String.join(" ", sev));
        long rejected = d.rejectedTotal();
        long attributed =
                d.rejectedByAttribution().entrySet().stream()
                        .filter(e -> !e.getKey().equals(ReportData.UNATTRIBUTED))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        tile(
                h,
                "Rejected flows",
                Charts.count(rejected),
                rejected == 0
                        ? "none"
                        : esc(
                                String.format(
                                        Locale.ROOT,
                                        "%.1f%% attributed to a rule",
                                        100.0 * attributed / rejected)));
        tile(
                h,
                "Accepted egress",
                Charts.bytes(d.egressTotal()),
                esc("from " + d.egressBytesByInterface.size() + " interfaces"));
        if (d.hasKmsUsage) {
            tile(
                    h,
                    "KMS calls",
                    Charts.count(d.kmsCallsTotal()),
                    esc(
                            Charts.count(d.kmsErrorsTotal())
                                    + " errors, "
                                    + d.kmsByKeyAndPrincipal.size()
                                    + " keys"));
        } else {
            tile(h, "KMS calls", "&ndash;", "no <code>kms_usage</code> table");
        }
        tile(
                h,
                "Dead letters",
                Charts.count(d.tableRows.getOrDefault("dead_letters", 0L)),
                "records Flowtrail could not read");
        h.append("</section>\n");
    }

    private static void tile(StringBuilder h, String title, String value, String note) {
        h.append("<div class=\"tile\"><div class=\"tile-title\">")
                .append(esc(title))
                .append("</div><div class=\"tile-value\">")
                .append(value.startsWith("&") ? value : esc(value))
                .append("</div><div class=\"tile-note\">")
                .append(note)
                .append("</div></div>\n");
    }

    private static String range(long start, long end) {
        if (Charts.oneDay(start, end)) {
            return Charts.utc(start) + " to " + Charts.tick(end, true) + " UTC";
        }
        return Charts.utc(start) + " to " + Charts.utc(end) + " UTC";
    }

    // ---- rejected flows per bucket, stacked by rule ----

    private static void rejectedChart(StringBuilder h, ReportData d, long bucket) {
        String per = Charts.durationAdjective(bucket);
        h.append("<section class=\"chart\" id=\"rejected\">\n<h2>Rejected flows per ")
                .append(esc(per))
                .append(" window, by the rule that rejected them</h2>\n");
        h.append("<p class=\"note\">Flow-log records with action REJECT, from the <code>")
                .append(d.rejectsFromFlowSummary ? "flow_summary" : "rejects")
                .append("</code> table. The rule is that of the configuration in force at the")
                .append(" flow's time: <code>nacl:&lt;acl&gt;#&lt;entry&gt;</code>,")
                .append(" <code>sg:no-matching-rule</code> (no security group rule allows it), or")
                .append(" <code>unattributed</code> (no rule explains it).</p>\n");
        if (!d.hasData() || d.rejectedTotal() == 0) {
            h.append("<p class=\"empty\">No rejected flows in this output.</p>\n</section>\n");
            return;
        }
        LinkedHashMap<String, Long> rules = d.rejectedByAttribution();
        Map<String, String> colors = ruleColors(new ArrayList<>(rules.keySet()));
        legend(h, rules, colors, Charts::count);

        TreeMap<Long, Map<String, Long>> byBucket = d.rejectedByBucket(bucket);
        long maxTotal = 1;
        for (Map<String, Long> m : byBucket.values()) {
            maxTotal = Math.max(maxTotal, m.values().stream().mapToLong(Long::longValue).sum());
        }
        int left = 74;
        int right = 16;
        int top = 18;
        int bottom = 58;
        int plotH = 250;
        int height = top + plotH + bottom;
        double plotW = WIDTH - left - right;
        List<Double> ticks = Charts.ticks(maxTotal, 5, true);
        double yMax = ticks.get(ticks.size() - 1);
        svgOpen(h, height, "Rejected flows per " + per + " window, stacked by rule");
        for (double t : ticks) {
            double y = top + plotH - t / yMax * plotH;
            h.append("<line class=\"grid\" x1=\"")
                    .append(left)
                    .append("\" x2=\"")
                    .append(num(WIDTH - right))
                    .append("\" y1=\"")
                    .append(num(y))
                    .append("\" y2=\"")
                    .append(num(y))
                    .append("\"/>\n");
            text(h, left - 8, y + 4, "end", "tick", Charts.count((long) t));
        }
        int n = byBucket.size();
        double slot = plotW / n;
        double barW = Math.max(1, slot * 0.72);
        boolean oneDay = Charts.oneDay(d.dataStart, d.dataEnd);
        int labelEvery = (int) Math.max(1, Math.ceil(44 / slot));
        int i = 0;
        for (Map.Entry<Long, Map<String, Long>> e : byBucket.entrySet()) {
            double x = left + i * slot + (slot - barW) / 2;
            double y = top + plotH;
            long total = 0;
            for (String rule : rules.keySet()) {
                long v = e.getValue().getOrDefault(rule, 0L);
                if (v == 0) {
                    continue;
                }
                total += v;
                double bh = Math.max(1, v / yMax * plotH);
                y -= bh;
                h.append("<rect class=\"seg\" data-chart=\"rejected\" data-bucket=\"")
                        .append(Charts.iso(e.getKey()))
                        .append("\" data-series=\"")
                        .append(esc(rule))
                        .append("\" data-value=\"")
                        .append(v)
                        .append("\" x=\"")
                        .append(num(x))
                        .append("\" y=\"")
                        .append(num(y))
                        .append("\" width=\"")
                        .append(num(barW))
                        .append("\" height=\"")
                        .append(num(bh))
                        .append("\" fill=\"")
                        .append(colors.get(rule))
                        .append("\"><title>")
                        .append(
                                esc(
                                        bucketLabel(e.getKey(), bucket)
                                                + ": "
                                                + rule
                                                + ", "
                                                + Charts.count(v)
                                                + " rejected flows"))
                        .append("</title></rect>\n");
            }
            if (total > 0 && slot >= 24) {
                text(h, x + barW / 2, y - 5, "middle", "value", Charts.count(total));
            }
            if (i % labelEvery == 0) {
                text(
                        h,
                        x + barW / 2,
                        top + plotH + 18,
                        "middle",
                        "tick",
                        Charts.tick(e.getKey(), oneDay));
            }
            i++;
        }
        axisLine(h, left, top + plotH, WIDTH - right, top + plotH);
        text(
                h,
                left + plotW / 2,
                height - 12,
                "middle",
                "axis",
                "window start, UTC" + (oneDay ? " (" + Charts.date(d.dataStart) + ")" : ""));
        yTitle(h, top + plotH / 2.0, "rejected flows (records)");
        h.append("</svg>\n</section>\n");
    }

    private static String bucketLabel(long start, long bucket) {
        return Charts.utc(start)
                + " to "
                + Charts.tick(start + bucket, Charts.oneDay(start, start + bucket))
                + " UTC";
    }

    /** NACL entries in warm colours, security groups in blues, unattributed in grey. */
    static Map<String, String> ruleColors(List<String> rules) {
        String[] nacl = {"#D55E00", "#E69F00", "#CC79A7", "#F0E442"};
        String[] sg = {"#0072B2", "#56B4E9"};
        String[] other = {"#009E73", "#000000", "#CC79A7", "#F0E442"};
        int[] used = new int[3];
        Map<String, String> colors = new LinkedHashMap<>();
        for (String r : rules) {
            if (r.equals(ReportData.UNATTRIBUTED)) {
                colors.put(r, Charts.GREY);
            } else if (r.startsWith("nacl:")) {
                colors.put(r, nacl[used[0]++ % nacl.length]);
            } else if (r.startsWith("sg:")) {
                colors.put(r, sg[used[1]++ % sg.length]);
            } else {
                colors.put(r, other[used[2]++ % other.length]);
            }
        }
        return colors;
    }

    // ---- alert timeline ----

    private static void alertTimeline(StringBuilder h, ReportData d) {
        h.append(
                "<section class=\"chart\" id=\"timeline\">\n<h2>Alert timeline, by category</h2>\n");
        if (d.alerts.isEmpty()) {
            h.append("<p class=\"empty\">No alerts in this output.</p>\n</section>\n");
            return;
        }
        h.append("<p class=\"note\">Each mark spans its alert's window; the number is the alert's")
                .append(" number in the list below, the colour its severity (the worst, when")
                .append(" several alerts share a window).</p>\n");
        LinkedHashMap<String, Long> severities = d.alertsBySeverityCount();
        Map<String, String> sevColors = new LinkedHashMap<>();
        severities
                .keySet()
                .forEach(s -> sevColors.put(s, SEVERITY_COLORS.getOrDefault(s, Charts.GREY)));
        legend(h, severities, sevColors, n -> Charts.count(n) + (n == 1 ? " alert" : " alerts"));

        List<String> rows = new ArrayList<>();
        Set<String> present = new TreeSet<>();
        d.alerts.forEach(a -> present.add(ReportData.orElse(a.category, "(none)")));
        for (String c : CATEGORIES) {
            if (present.remove(c)) {
                rows.add(c);
            }
        }
        rows.addAll(present);

        long start = d.alerts.stream().mapToLong(a -> a.windowStart).min().orElse(0);
        long end =
                d.alerts.stream()
                        .mapToLong(a -> Math.max(a.windowEnd, a.windowStart))
                        .max()
                        .orElse(start);
        if (d.hasData()) {
            start = Math.min(start, d.dataStart);
            end = Math.max(end, d.dataEnd);
        }
        long step = Charts.timeStep(start, end, 12);
        start = Math.floorDiv(start, step) * step;
        end = Math.floorDiv(end + step - 1, step) * step;
        if (end <= start) {
            end = start + step;
        }
        int left = 190;
        int right = 24;
        int top = 10;
        int rowH = 40;
        int bottom = 50;
        int plotH = rows.size() * rowH;
        int height = top + plotH + bottom;
        double plotW = WIDTH - left - right;
        long t0 = start;
        double span = end - start;
        LongToDoubleFunction xOf = t -> left + (t - t0) / span * plotW;
        boolean oneDay = Charts.oneDay(start, end);

        svgOpen(h, height, "Alert timeline by category");
        for (long t : Charts.timeTicks(start, end, step)) {
            double x = xOf.applyAsDouble(t);
            h.append("<line class=\"grid\" x1=\"")
                    .append(num(x))
                    .append("\" x2=\"")
                    .append(num(x))
                    .append("\" y1=\"")
                    .append(top)
                    .append("\" y2=\"")
                    .append(top + plotH)
                    .append("\"/>\n");
            text(h, x, top + plotH + 18, "middle", "tick", Charts.tick(t, oneDay));
        }
        for (int r = 0; r < rows.size(); r++) {
            double cy = top + r * rowH + rowH / 2.0;
            if (r % 2 == 1) {
                h.append("<rect class=\"band\" x=\"")
                        .append(left)
                        .append("\" y=\"")
                        .append(num(top + r * rowH))
                        .append("\" width=\"")
                        .append(num(plotW))
                        .append("\" height=\"")
                        .append(rowH)
                        .append("\"/>\n");
            }
            text(h, left - 10, cy + 4, "end", "label", rows.get(r));
        }
        // One mark per category and window; alerts of the same window share it.
        Map<String, List<Alert>> marks = new LinkedHashMap<>();
        for (Alert a : d.alerts) {
            String key =
                    ReportData.orElse(a.category, "(none)")
                            + "\u0000"
                            + a.windowStart
                            + "\u0000"
                            + a.windowEnd;
            marks.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
        }
        for (List<Alert> group : marks.values()) {
            Alert first = group.get(0);
            int row = rows.indexOf(ReportData.orElse(first.category, "(none)"));
            double x1 = xOf.applyAsDouble(first.windowStart);
            double x2 = xOf.applyAsDouble(Math.max(first.windowEnd, first.windowStart));
            List<String> numbers = new ArrayList<>();
            String worst = null;
            StringBuilder tip = new StringBuilder();
            for (Alert a : group) {
                numbers.add(Integer.toString(d.number(a)));
                if (worst == null
                        || ReportData.severityRank(a.severity) < ReportData.severityRank(worst)) {
                    worst = a.severity;
                }
                tip.append('#')
                        .append(d.number(a))
                        .append(' ')
                        .append(a.severity)
                        .append(' ')
                        .append(a.detector)
                        .append(": ")
                        .append(a.title)
                        .append('\n');
            }
            String label = String.join(" ", numbers);
            double w = Math.max(x2 - x1, 12);
            double labelW = 7.5 * label.length() + 8;
            double markW = Math.max(w, Math.min(labelW, 60));
            double y = top + row * rowH + 9;
            h.append("<rect class=\"mark\" data-chart=\"alerts\" data-category=\"")
                    .append(esc(ReportData.orElse(first.category, "(none)")))
                    .append("\" data-start=\"")
                    .append(Charts.iso(first.windowStart))
                    .append("\" data-count=\"")
                    .append(group.size())
                    .append("\" x=\"")
                    .append(num(x1))
                    .append("\" y=\"")
                    .append(num(y))
                    .append("\" width=\"")
                    .append(num(markW))
                    .append("\" height=\"22\" rx=\"4\" fill=\"")
                    .append(SEVERITY_COLORS.getOrDefault(worst, Charts.GREY))
                    .append("\"><title>")
                    .append(
                            esc(
                                    bucketLabel(
                                                    first.windowStart,
                                                    Math.max(
                                                            0, first.windowEnd - first.windowStart))
                                            + "\n"
                                            + tip.toString().strip()))
                    .append("</title></rect>\n");
            if (markW >= labelW - 2) {
                text(h, x1 + markW / 2, y + 15, "middle", "mark-label", label);
            } else {
                text(h, x1 + markW + 4, y + 15, "start", "mark-label-out", label);
            }
        }
        axisLine(h, left, top + plotH, WIDTH - right, top + plotH);
        text(
                h,
                left + plotW / 2,
                height - 12,
                "middle",
                "axis",
                "alert window, UTC" + (oneDay ? " (" + Charts.date(start) + ")" : ""));
        h.append("</svg>\n</section>\n");
    }

    // ---- egress bytes per interface ----

    private static void egressChart(StringBuilder h, ReportData d) {
        h.append(
                "<section class=\"chart\" id=\"egress\">\n<h2>Accepted egress bytes per interface</h2>\n");
        LinkedHashMap<String, Long> byInterface = d.egressByInterface();
        if (byInterface.isEmpty()) {
            h.append("<p class=\"empty\">No egress rows in <code>flow_summary</code>")
                    .append(
                            d.unknownDirectionRows > 0
                                    ? ": the direction of its rows is unknown (the flow logs have no"
                                            + " flow-direction field and no --config was given)."
                                    : ".")
                    .append("</p>\n</section>\n");
            return;
        }
        Set<String> alerted = new TreeSet<>();
        for (Alert a : d.alerts) {
            if ("unexpected_egress".equals(a.category) && a.interfaceId != null) {
                alerted.add(a.interfaceId);
            }
        }
        h.append("<p class=\"note\">Bytes the interface sent in accepted egress flows over the")
                .append(
                        " whole output. Orange: the interface has an <code>unexpected_egress</code>")
                .append(
                        " alert. A flow between two monitored interfaces counts on the sender, and a")
                .append(" NAT gateway's interface re-sends what it carries for others, so these do")
                .append(" not add up to what left the VPC.</p>\n");
        List<Map.Entry<String, Long>> rows = new ArrayList<>();
        Iterator<Map.Entry<String, Long>> it = byInterface.entrySet().iterator();
        long other = 0;
        int otherCount = 0;
        while (it.hasNext()) {
            Map.Entry<String, Long> e = it.next();
            if (rows.size() < TOP_INTERFACES) {
                rows.add(e);
            } else {
                other += e.getValue();
                otherCount++;
            }
        }
        if (otherCount > 0) {
            rows.add(Map.entry("other " + otherCount + " interfaces", other));
        }
        long max = rows.stream().mapToLong(Map.Entry::getValue).max().orElse(1);
        Charts.ByteUnit unit = Charts.byteUnit(max);
        List<Double> ticks = Charts.ticks(max / unit.divisor(), 6, false);
        double xMax = ticks.get(ticks.size() - 1) * unit.divisor();
        int left = labelMargin(rows.stream().map(Map.Entry::getKey).toList());
        int right = 90;
        int top = 8;
        int rowH = 24;
        int bottom = 48;
        int plotH = rows.size() * rowH;
        int height = top + plotH + bottom;
        double plotW = WIDTH - left - right;
        svgOpen(h, height, "Accepted egress bytes per interface");
        for (double t : ticks) {
            double x = left + t * unit.divisor() / xMax * plotW;
            h.append("<line class=\"grid\" x1=\"")
                    .append(num(x))
                    .append("\" x2=\"")
                    .append(num(x))
                    .append("\" y1=\"")
                    .append(top)
                    .append("\" y2=\"")
                    .append(top + plotH)
                    .append("\"/>\n");
            text(h, x, top + plotH + 18, "middle", "tick", trimZeros(t));
        }
        for (int r = 0; r < rows.size(); r++) {
            Map.Entry<String, Long> e = rows.get(r);
            double y = top + r * rowH + 4;
            double w = Math.max(1, e.getValue() / xMax * plotW);
            boolean isOther = otherCount > 0 && r == rows.size() - 1;
            String fill =
                    isOther ? Charts.GREY : alerted.contains(e.getKey()) ? "#D55E00" : "#0072B2";
            String subnet = d.subnetByInterface.get(e.getKey());
            h.append("<rect class=\"bar\" data-chart=\"egress\" data-series=\"")
                    .append(esc(e.getKey()))
                    .append("\" data-value=\"")
                    .append(e.getValue())
                    .append("\" x=\"")
                    .append(left)
                    .append("\" y=\"")
                    .append(num(y))
                    .append("\" width=\"")
                    .append(num(w))
                    .append("\" height=\"")
                    .append(rowH - 8)
                    .append("\" fill=\"")
                    .append(fill)
                    .append("\"><title>")
                    .append(
                            esc(
                                    e.getKey()
                                            + (subnet != null ? " (" + subnet + ")" : "")
                                            + ": "
                                            + Charts.count(e.getValue())
                                            + " bytes"))
                    .append("</title></rect>\n");
            text(h, left - 8, y + 12, "end", isOther ? "label" : "label mono", e.getKey());
            text(h, left + w + 6, y + 12, "start", "value", Charts.bytes(e.getValue()));
        }
        axisLine(h, left, top + plotH, WIDTH - right, top + plotH);
        text(
                h,
                left + plotW / 2,
                height - 10,
                "middle",
                "axis",
                "accepted egress, "
                        + unit.name()
                        + (unit.divisor() > 1
                                ? " (1 "
                                        + unit.name()
                                        + " = "
                                        + Charts.count((long) unit.divisor())
                                        + " bytes)"
                                : ""));
        h.append("</svg>\n</section>\n");
    }

    /** A left margin that fits the longest row label (12 px monospace), within limits. */
    static int labelMargin(List<String> labels) {
        int chars = labels.stream().mapToInt(String::length).max().orElse(10);
        return (int) Math.max(120, Math.min(420, 24 + chars * 7.4));
    }

    /** A key's row label: its id ({@code key/} and the ARN's prefix dropped), or the ARN cut. */
    static String keyLabel(String keyArn) {
        String shortName = Charts.shortArn(keyArn);
        if (shortName != null && shortName.startsWith("key/")) {
            shortName = shortName.substring(4);
        }
        return Charts.cut(shortName, 48);
    }

    private static String trimZeros(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.replaceAll("\\.?0+$", "");
    }

    // ---- KMS calls per key and principal ----

    private static void kmsChart(StringBuilder h, ReportData d) {
        h.append(
                "<section class=\"chart\" id=\"kms\">\n<h2>KMS calls per key and principal</h2>\n");
        if (!d.hasKmsUsage) {
            h.append("<p class=\"empty\">Skipped: this output folder has no <code>kms_usage</code>")
                    .append(" table. Flowtrail writes it when it reads CloudTrail; folders written")
                    .append(" before that have none.</p>\n</section>\n");
            return;
        }
        LinkedHashMap<String, Long> byKey = d.kmsCallsByKey();
        if (byKey.isEmpty()) {
            h.append("<p class=\"empty\">No KMS calls in this output.</p>\n</section>\n");
            return;
        }
        h.append("<p class=\"note\">Calls in the <code>kms_usage</code> table, per key, split by")
                .append(" the principal that made them (the role of an assumed-role session).")
                .append(" Errors (access denied and others) are counted among the calls.</p>\n");
        LinkedHashMap<String, Long> principals = d.kmsCallsByPrincipal();
        Map<String, String> colors = new LinkedHashMap<>();
        LinkedHashMap<String, Long> legendEntries = new LinkedHashMap<>();
        long otherPrincipals = 0;
        for (Map.Entry<String, Long> e : principals.entrySet()) {
            if (colors.size() < TOP_PRINCIPALS) {
                colors.put(e.getKey(), Charts.PALETTE[colors.size() % Charts.PALETTE.length]);
                legendEntries.put(e.getKey(), e.getValue());
            } else {
                otherPrincipals += e.getValue();
            }
        }
        String otherLabel = "other principals";
        if (otherPrincipals > 0) {
            colors.put(otherLabel, Charts.GREY);
            legendEntries.put(otherLabel, otherPrincipals);
        }
        LinkedHashMap<String, Long> shortLegend = new LinkedHashMap<>();
        Map<String, String> shortColors = new LinkedHashMap<>();
        legendEntries.forEach(
                (p, n) -> {
                    String label = p.equals(otherLabel) ? p : Charts.shortArn(p);
                    shortLegend.merge(label, n, Long::sum);
                    shortColors.putIfAbsent(label, colors.get(p));
                });
        legend(h, shortLegend, shortColors, n -> Charts.count(n) + " calls");

        List<String> keys = new ArrayList<>();
        Map<String, Map<String, Long>> segments = new LinkedHashMap<>();
        Map<String, Long> errors = new HashMap<>();
        int otherKeys = 0;
        for (String key : byKey.keySet()) {
            String row = keys.size() < TOP_KEYS ? key : null;
            if (row == null) {
                otherKeys++;
                row = "\u0000other";
            }
            if (!segments.containsKey(row)) {
                keys.add(row);
                segments.put(row, new LinkedHashMap<>());
            }
            Map<String, Long> seg = segments.get(row);
            d.kmsByKeyAndPrincipal
                    .get(key)
                    .forEach(
                            (p, s) ->
                                    seg.merge(
                                            colors.containsKey(p) ? p : otherLabel,
                                            s[0],
                                            Long::sum));
            errors.merge(row, d.kmsErrors(key), Long::sum);
        }
        long max = 1;
        for (Map<String, Long> seg : segments.values()) {
            max = Math.max(max, seg.values().stream().mapToLong(Long::longValue).sum());
        }
        List<Double> ticks = Charts.ticks(max, 6, true);
        double xMax = ticks.get(ticks.size() - 1);
        List<String> labels = new ArrayList<>();
        for (String key : keys) {
            labels.add(key.equals("\u0000other") ? "other " + otherKeys + " keys" : keyLabel(key));
        }
        int left = labelMargin(labels);
        int right = 150;
        int top = 8;
        int rowH = 26;
        int bottom = 46;
        int plotH = keys.size() * rowH;
        int height = top + plotH + bottom;
        double plotW = WIDTH - left - right;
        svgOpen(h, height, "KMS calls per key and principal");
        for (double t : ticks) {
            double x = left + t / xMax * plotW;
            h.append("<line class=\"grid\" x1=\"")
                    .append(num(x))
                    .append("\" x2=\"")
                    .append(num(x))
                    .append("\" y1=\"")
                    .append(top)
                    .append("\" y2=\"")
                    .append(top + plotH)
                    .append("\"/>\n");
            text(h, x, top + plotH + 18, "middle", "tick", Charts.count((long) t));
        }
        for (int r = 0; r < keys.size(); r++) {
            String key = keys.get(r);
            boolean isOther = key.equals("\u0000other");
            String label = labels.get(r);
            double y = top + r * rowH + 4;
            double x = left;
            long total = 0;
            for (Map.Entry<String, Long> s : segments.get(key).entrySet()) {
                if (s.getValue() == 0) {
                    continue;
                }
                total += s.getValue();
                double w = Math.max(1, s.getValue() / xMax * plotW);
                h.append("<rect class=\"seg\" data-chart=\"kms\" data-key=\"")
                        .append(esc(isOther ? "other" : key))
                        .append("\" data-series=\"")
                        .append(esc(s.getKey()))
                        .append("\" data-value=\"")
                        .append(s.getValue())
                        .append("\" x=\"")
                        .append(num(x))
                        .append("\" y=\"")
                        .append(num(y))
                        .append("\" width=\"")
                        .append(num(w))
                        .append("\" height=\"")
                        .append(rowH - 8)
                        .append("\" fill=\"")
                        .append(colors.get(s.getKey()))
                        .append("\"><title>")
                        .append(
                                esc(
                                        (isOther ? label : key)
                                                + "\n"
                                                + s.getKey()
                                                + ": "
                                                + Charts.count(s.getValue())
                                                + " calls"))
                        .append("</title></rect>\n");
                x += w;
            }
            text(h, left - 8, y + 13, "end", isOther ? "label" : "label mono", label);
            long err = errors.getOrDefault(key, 0L);
            h.append("<text x=\"")
                    .append(num(x + 6))
                    .append("\" y=\"")
                    .append(num(y + 13))
                    .append("\" class=\"value\">")
                    .append(esc(Charts.count(total) + " calls"))
                    .append(err > 0 ? "<tspan class=\"err\">" : "<tspan>")
                    .append(esc(", " + Charts.count(err) + (err == 1 ? " error" : " errors")))
                    .append("</tspan></text>\n");
        }
        axisLine(h, left, top + plotH, WIDTH - right, top + plotH);
        text(h, left + plotW / 2, height - 10, "middle", "axis", "KMS calls (CloudTrail events)");
        h.append("</svg>\n</section>\n");
    }

    // ---- every alert with its evidence ----

    private static void alertList(StringBuilder h, ReportData d) {
        h.append("<section id=\"alerts\">\n<h2>Alerts (")
                .append(Charts.count(d.alerts.size()))
                .append("), in time order, with their evidence</h2>\n");
        if (d.alerts.isEmpty()) {
            h.append("<p class=\"empty\">No alerts in this output.</p>\n</section>\n");
            return;
        }
        h.append("<table class=\"alerts\">\n<thead><tr><th>#</th><th>severity</th>")
                .append("<th>window (UTC)</th><th>category / detector</th><th>alert</th>")
                .append("<th class=\"evidence\">evidence</th></tr></thead>\n<tbody>\n");
        for (Alert a : d.alerts) {
            h.append("<tr id=\"alert-")
                    .append(esc(a.alertId))
                    .append("\" data-alert-id=\"")
                    .append(esc(a.alertId))
                    .append("\"><td class=\"num\">")
                    .append(d.number(a))
                    .append("</td><td><span class=\"sev sev-")
                    .append(esc(a.severity))
                    .append("\">")
                    .append(esc(a.severity))
                    .append("</span></td><td class=\"when\">")
                    .append(esc(Charts.utc(a.windowStart)))
                    .append("<br>to ")
                    .append(
                            esc(
                                    Charts.tick(
                                            a.windowEnd,
                                            Charts.oneDay(a.windowStart, a.windowEnd))))
                    .append("</td><td><b>")
                    .append(esc(a.category))
                    .append("</b><br>")
                    .append(esc(a.detector))
                    .append("</td><td><div class=\"title\">")
                    .append(esc(a.title))
                    .append("</div>")
                    .append(entity(a))
                    .append("<div class=\"id\">")
                    .append(esc(a.alertId))
                    .append("</div></td><td>")
                    .append(evidence(a.evidence))
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static String entity(Alert a) {
        List<String> parts = new ArrayList<>();
        add(parts, "interface", a.interfaceId);
        add(parts, "source", a.srcAddr);
        if (a.dstAddr != null || a.dstPort != Alert.NO_PORT) {
            add(
                    parts,
                    "destination",
                    a.dstAddr == null
                            ? "port " + a.dstPort
                            : a.dstAddr + (a.dstPort != Alert.NO_PORT ? ":" + a.dstPort : ""));
        }
        add(parts, "principal", a.principalArn);
        add(parts, "key", a.keyArn);
        if (!Double.isNaN(a.observed)) {
            add(
                    parts,
                    "observed / expected",
                    trimZeros(a.observed)
                            + " / "
                            + (Double.isNaN(a.expected) ? "-" : trimZeros(a.expected)));
        }
        return parts.isEmpty()
                ? ""
                : "<div class=\"entity\">" + String.join("<br>", parts) + "</div>";
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(esc(name) + " <code>" + esc(value) + "</code>");
        }
    }

    /** Evidence as a list of its top-level keys, each value as compact JSON. */
    static String evidence(String json) {
        if (json == null || json.isBlank()) {
            return "<span class=\"empty\">none</span>";
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (Exception e) {
            return "<pre class=\"evidence\">" + esc(json) + "</pre>";
        }
        if (node == null || !node.isObject()) {
            return "<pre class=\"evidence\">" + esc(json) + "</pre>";
        }
        StringBuilder b = new StringBuilder("<dl class=\"evidence\">");
        node.fields()
                .forEachRemaining(
                        e ->
                                b.append("<dt>")
                                        .append(esc(e.getKey()))
                                        .append("</dt><dd>")
                                        .append(
                                                esc(
                                                        e.getValue().isTextual()
                                                                ? e.getValue().asText()
                                                                : spaced(e.getValue())))
                                        .append("</dd>"));
        return b.append("</dl>").toString();
    }

    /** Compact JSON with a space after each comma and colon, so that long lists wrap. */
    static String spaced(JsonNode node) {
        StringBuilder b = new StringBuilder();
        spaced(node, b);
        return b.toString();
    }

    private static void spaced(JsonNode node, StringBuilder b) {
        if (node.isArray()) {
            b.append('[');
            for (int i = 0; i < node.size(); i++) {
                b.append(i > 0 ? ", " : "");
                spaced(node.get(i), b);
            }
            b.append(']');
        } else if (node.isObject()) {
            b.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                b.append(first ? "" : ", ")
                        .append(JSON.getNodeFactory().textNode(f.getKey()))
                        .append(": ");
                spaced(f.getValue(), b);
                first = false;
            }
            b.append('}');
        } else {
            b.append(node.toString());
        }
    }

    // ---- the data block ----

    static ObjectNode data(ReportData d, long bucket) {
        ObjectNode root = JSON.createObjectNode();
        root.put("output", d.outDir.toString());
        root.put("window_minutes", d.windowMillis / 60_000.0);
        root.put("bucket_minutes", bucket / 60_000.0);
        if (d.hasData()) {
            root.put("data_start", Charts.iso(d.dataStart));
            root.put("data_end", Charts.iso(d.dataEnd));
        }
        ObjectNode tables = root.putObject("tables");
        d.tableRows.forEach(tables::put);

        ObjectNode rejected = root.putObject("rejected_flows");
        rejected.put("source", d.rejectsFromFlowSummary ? "flow_summary" : "rejects");
        rejected.put("total", d.rejectedTotal());
        ObjectNode byRule = rejected.putObject("by_attribution");
        d.rejectedByAttribution().forEach(byRule::put);
        ArrayNode buckets = rejected.putArray("by_bucket");
        d.rejectedByBucket(bucket)
                .forEach(
                        (start, m) -> {
                            ObjectNode b = buckets.addObject();
                            b.put("start", Charts.iso(start));
                            b.put("total", m.values().stream().mapToLong(Long::longValue).sum());
                            ObjectNode rules = b.putObject("by_attribution");
                            new TreeMap<>(m).forEach(rules::put);
                        });

        ObjectNode egress = root.putObject("egress_bytes");
        egress.put("total", d.egressTotal());
        ObjectNode byInterface = egress.putObject("by_interface");
        d.egressByInterface().forEach(byInterface::put);

        ObjectNode alerts = root.putObject("alerts");
        alerts.put("total", d.alerts.size());
        ObjectNode byCategory = alerts.putObject("by_category");
        d.alertsByCategory().forEach(byCategory::put);
        ObjectNode bySeverity = alerts.putObject("by_severity");
        d.alertsBySeverityCount().forEach(bySeverity::put);
        ArrayNode timeline = alerts.putArray("by_window_start_and_category");
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Alert a : d.alerts) {
            counts.computeIfAbsent(Charts.iso(a.windowStart), k -> new TreeMap<>())
                    .merge(ReportData.orElse(a.category, "(none)"), 1L, Long::sum);
        }
        counts.forEach(
                (start, m) ->
                        m.forEach(
                                (category, n) -> {
                                    ObjectNode o = timeline.addObject();
                                    o.put("window_start", start);
                                    o.put("category", category);
                                    o.put("alerts", n);
                                }));
        ArrayNode ids = alerts.putArray("ids_in_order");
        d.alerts.forEach(a -> ids.add(a.alertId));

        ObjectNode kms = root.putObject("kms_calls");
        kms.put("present", d.hasKmsUsage);
        if (d.hasKmsUsage) {
            kms.put("total", d.kmsCallsTotal());
            kms.put("errors", d.kmsErrorsTotal());
            ObjectNode byKey = kms.putObject("by_key");
            d.kmsCallsByKey()
                    .forEach(
                            (key, calls) -> {
                                ObjectNode k = byKey.putObject(key);
                                k.put("calls", calls);
                                k.put("errors", d.kmsErrors(key));
                                ObjectNode byPrincipal = k.putObject("by_principal");
                                new TreeMap<>(d.kmsByKeyAndPrincipal.get(key))
                                        .forEach((p, s) -> byPrincipal.put(p, s[0]));
                            });
        }
        return root;
    }

    /** JSON that cannot end the script element early: every {@code <} escaped. */
    static String safeJson(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(node)
                    .replace("<", "\\u003c");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- SVG pieces ----

    private static void svgOpen(StringBuilder h, int height, String label) {
        h.append("<svg class=\"plot\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(label))
                .append("\">\n");
    }

    private static void text(
            StringBuilder h, double x, double y, String anchor, String cls, String content) {
        h.append("<text x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\" class=\"")
                .append(cls)
                .append("\">")
                .append(esc(content))
                .append("</text>\n");
    }

    private static void yTitle(StringBuilder h, double cy, String content) {
        h.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(16 ")
                .append(num(cy))
                .append(") rotate(-90)\">")
                .append(esc(content))
                .append("</text>\n");
    }

    private static void axisLine(StringBuilder h, double x1, double y1, double x2, double y2) {
        h.append("<line class=\"axisline\" x1=\"")
                .append(num(x1))
                .append("\" y1=\"")
                .append(num(y1))
                .append("\" x2=\"")
                .append(num(x2))
                .append("\" y2=\"")
                .append(num(y2))
                .append("\"/>\n");
    }

    private static void legend(
            StringBuilder h,
            Map<String, Long> entries,
            Map<String, String> colors,
            LongFunction<String> value) {
        h.append("<ul class=\"legend\">");
        entries.forEach(
                (name, n) ->
                        h.append("<li><span class=\"swatch\" style=\"background:")
                                .append(colors.get(name))
                                .append("\"></span><code>")
                                .append(esc(name))
                                .append("</code> ")
                                .append(esc(value.apply(n)))
                                .append("</li>"));
        h.append("</ul>\n");
    }

    private static final String CSS =
            String.join(
                    "\n",
                    ":root { color-scheme: light; }",
                    "body { margin: 0; background: #f4f5f7; color: #1d2330;"
                            + " font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto,"
                            + " 'DejaVu Sans', sans-serif; }",
                    "main { max-width: 1200px; margin: 0 auto; padding: 20px; }",
                    "h1 { font-size: 26px; margin: 0 0 4px; }",
                    "h2 { font-size: 18px; margin: 0 0 4px; }",
                    "code, .mono { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas,"
                            + " monospace; font-size: 12.5px; }",
                    "header .sub { margin: 0; color: #4a5263; font-size: 15px; }",
                    "header .tables { margin: 4px 0 14px; color: #4a5263; }",
                    ".tiles { display: flex; gap: 12px; margin-bottom: 16px; }",
                    ".tile { flex: 1; background: #fff; border: 1px solid #dde1e8;"
                            + " border-radius: 8px; padding: 10px 14px; }",
                    ".tile-title { color: #4a5263; font-size: 13px; }",
                    ".tile-value { font-size: 26px; font-weight: 600; }",
                    ".tile-note { color: #4a5263; font-size: 12.5px; }",
                    "section.chart, section#alerts { background: #fff; border: 1px solid #dde1e8;"
                            + " border-radius: 8px; padding: 14px 20px; margin-bottom: 16px; }",
                    ".note { margin: 0 0 6px; color: #4a5263; font-size: 13px; }",
                    ".empty { color: #4a5263; font-style: italic; }",
                    ".legend { list-style: none; margin: 4px 0 6px; padding: 0; display: flex;"
                            + " flex-wrap: wrap; gap: 4px 18px; font-size: 13px; }",
                    ".swatch { display: inline-block; width: 12px; height: 12px;"
                            + " border-radius: 2px; margin-right: 6px; vertical-align: -1px; }",
                    "svg.plot { display: block; max-width: 100%; height: auto; }",
                    "svg text { font-family: system-ui, 'DejaVu Sans', sans-serif; fill: #1d2330; }",
                    "svg .tick { font-size: 12px; fill: #4a5263; }",
                    "svg .axis { font-size: 13px; fill: #1d2330; }",
                    "svg .value { font-size: 12px; fill: #1d2330; }",
                    "svg .label { font-size: 13px; }",
                    "svg .mono { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace;"
                            + " font-size: 12px; }",
                    "svg .err { fill: #c0392b; font-weight: 600; }",
                    "svg .grid { stroke: #e6e8ee; stroke-width: 1; }",
                    "svg .axisline { stroke: #8a93a6; stroke-width: 1; }",
                    "svg .band { fill: #f6f7f9; }",
                    "svg .mark-label { font-size: 12px; font-weight: 600; fill: #fff; }",
                    "svg .mark-label-out { font-size: 12px; font-weight: 600; }",
                    ".sev { display: inline-block; padding: 1px 7px; border-radius: 10px;"
                            + " color: #fff; font-size: 12px; font-weight: 600; }",
                    ".sev-CRITICAL { background: #7f0000; }",
                    ".sev-HIGH { background: #d62728; }",
                    ".sev-MEDIUM { background: #f28e2b; }",
                    ".sev-LOW { background: #4e79a7; }",
                    "table.alerts { border-collapse: collapse; width: 100%; font-size: 13px; }",
                    "table.alerts th { text-align: left; border-bottom: 2px solid #dde1e8;"
                            + " padding: 6px 8px; color: #4a5263; }",
                    "table.alerts td { vertical-align: top; border-bottom: 1px solid #e6e8ee;"
                            + " padding: 8px; }",
                    "table.alerts td.num { font-weight: 600; }",
                    "table.alerts td.when { white-space: nowrap; }",
                    ".title { font-weight: 600; margin-bottom: 2px; }",
                    ".entity { color: #4a5263; }",
                    ".id { color: #8a93a6; font-size: 11px; font-family: ui-monospace,"
                            + " 'DejaVu Sans Mono', monospace; }",
                    "dl.evidence { display: grid; grid-template-columns: max-content 1fr;"
                            + " gap: 1px 10px; margin: 0; font-size: 12px; }",
                    "dl.evidence dt { color: #4a5263; }",
                    "dl.evidence dd { margin: 0; font-family: ui-monospace, 'DejaVu Sans Mono',"
                            + " monospace; overflow-wrap: anywhere; }",
                    "table.alerts th.evidence { width: 44%; }",
                    "pre.evidence { white-space: pre-wrap; word-break: break-all; margin: 0; }",
                    "footer { color: #4a5263; font-size: 12.5px; padding: 4px 0 24px; }",
                    "");
}
