package io.flowtrail.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scores alerts (the JSON lines of {@code replay --alerts-jsonl}) against the labels of a generated
 * set. An alert and a label match when they have the same category, their times overlap (an alert
 * window {@code [start, end)}; a configuration finding and its label are instants), and one of the
 * alert's keys is the label's entity or one of its related keys. An alert's keys are its {@code
 * interface_id}, {@code src_addr}, {@code dst_addr}, {@code principal_arn} and {@code key_arn}, the
 * words of its title, and every text value of its evidence: detectors name their entity in one of
 * these, whatever their column layout.
 *
 * <p>Per category: recall is labels matched by at least one alert over labels; precision is alerts
 * matching at least one label over alerts. Alerts that match no label are false alarms, counted per
 * million benign records (the records that are not part of an incident).
 */
public final class Scorer {
    /** The categories of the detectors, in report order; others found are added after them. */
    public static final List<String> CATEGORIES =
            List.of(
                    "port_scan",
                    "rejected_traffic_spike",
                    "unexpected_egress",
                    "config_posture",
                    "anomalous_key_usage",
                    "correlated_incident");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An alert as the scorer sees it. */
    public record Alert(
            String category,
            String detector,
            Instant start,
            Instant end,
            Set<String> keys,
            String title) {}

    /** One row of the table. */
    public record Row(String category, int labels, int detected, int alerts, int truePositives) {
        public int falseAlerts() {
            return alerts - truePositives;
        }

        public double recall() {
            return labels == 0 ? Double.NaN : detected / (double) labels;
        }

        public double precision() {
            return alerts == 0 ? Double.NaN : truePositives / (double) alerts;
        }
    }

    /** The score. */
    public record Result(
            List<Row> rows,
            Row total,
            long benignRecords,
            List<Labels.Label> missed,
            List<Alert> falseAlerts) {
        public double falseAlertsPerMillionBenign() {
            return benignRecords == 0 ? Double.NaN : total.falseAlerts() * 1e6 / benignRecords;
        }
    }

    private Scorer() {}

    public static List<Alert> readAlerts(Path jsonl) {
        List<Alert> alerts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(jsonl)) {
                if (!line.isBlank()) {
                    alerts.add(alert(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(jsonl + ": cannot read the alerts", e);
        }
        return alerts;
    }

    public static Alert alert(JsonNode n) {
        Set<String> keys = new LinkedHashSet<>();
        for (String f :
                new String[] {"interface_id", "src_addr", "dst_addr", "principal_arn", "key_arn"}) {
            JsonNode v = n.get(f);
            if (v != null && v.isTextual()) {
                keys.add(v.asText());
            }
        }
        String title = n.path("title").asText("");
        for (String word : title.split("\\s+")) {
            String w = word.replaceAll("^[(\\[{'\"]+|[)\\]},;.'\":]+$", "");
            if (!w.isEmpty()) {
                keys.add(w);
                int colon = w.lastIndexOf(':');
                if (colon > 0 && w.indexOf(':') == colon) {
                    keys.add(w.substring(0, colon)); // address:port
                }
            }
        }
        texts(n.get("evidence"), keys);
        String start = n.path("window_start").asText();
        String end = n.path("window_end").asText(start);
        return new Alert(
                n.path("category").asText(),
                n.path("detector").asText(),
                Instant.parse(start),
                Instant.parse(end),
                keys,
                title);
    }

    private static void texts(JsonNode n, Set<String> into) {
        if (n == null) {
            return;
        }
        if (n.isTextual()) {
            into.add(n.asText());
        } else if (n.isContainerNode()) {
            n.forEach(child -> texts(child, into));
            if (n.isObject()) {
                n.fieldNames().forEachRemaining(into::add); // top-N maps keyed by address
            }
        }
    }

    public static boolean matches(Alert a, Labels.Label l) {
        if (!a.category().equals(l.category())) {
            return false;
        }
        if (!overlaps(a.start(), a.end(), l.start(), l.end())) {
            return false;
        }
        if (a.keys().contains(l.entity())) {
            return true;
        }
        for (String r : l.related()) {
            if (a.keys().contains(r)) {
                return true;
            }
        }
        return false;
    }

    static boolean overlaps(Instant as, Instant ae, Instant ls, Instant le) {
        if (ls.equals(le)) {
            return !as.isAfter(ls) && (ls.isBefore(ae) || as.equals(ae) && as.equals(ls));
        }
        if (as.equals(ae)) {
            return !as.isBefore(ls) && as.isBefore(le);
        }
        return as.isBefore(le) && ls.isBefore(ae);
    }

    public static Result score(Labels labels, List<Alert> alerts) {
        Set<String> categories = new LinkedHashSet<>(CATEGORIES);
        Set<String> extra = new TreeSet<>();
        labels.labels.forEach(l -> extra.add(l.category()));
        alerts.forEach(a -> extra.add(a.category()));
        categories.addAll(extra);

        Set<Labels.Label> detected = new HashSet<>();
        List<Alert> falseAlerts = new ArrayList<>();
        Set<Alert> truePositives = new HashSet<>();
        for (Alert a : alerts) {
            boolean any = false;
            for (Labels.Label l : labels.labels) {
                if (matches(a, l)) {
                    detected.add(l);
                    any = true;
                }
            }
            if (any) {
                truePositives.add(a);
            } else {
                falseAlerts.add(a);
            }
        }
        List<Row> rows = new ArrayList<>();
        int tl = 0;
        int td = 0;
        int ta = 0;
        int tt = 0;
        for (String c : categories) {
            int nl = 0;
            int nd = 0;
            for (Labels.Label l : labels.labels) {
                if (l.category().equals(c)) {
                    nl++;
                    if (detected.contains(l)) {
                        nd++;
                    }
                }
            }
            int na = 0;
            int nt = 0;
            for (Alert a : alerts) {
                if (a.category().equals(c)) {
                    na++;
                    if (truePositives.contains(a)) {
                        nt++;
                    }
                }
            }
            rows.add(new Row(c, nl, nd, na, nt));
            tl += nl;
            td += nd;
            ta += na;
            tt += nt;
        }
        List<Labels.Label> missed = new ArrayList<>();
        for (Labels.Label l : labels.labels) {
            if (!detected.contains(l)) {
                missed.add(l);
            }
        }
        return new Result(
                rows, new Row("all", tl, td, ta, tt), labels.benignRecords(), missed, falseAlerts);
    }

    /** The score as Markdown: the table, the false-alarm rate, the misses and the false alarms. */
    public static String markdown(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| category | labels | detected | recall | alerts | true | false | precision |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Row> all = new ArrayList<>(r.rows());
        all.add(r.total());
        for (Row row : all) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %s | %d | %d | %d | %s |%n",
                            row.category().equals("all") ? "**all**" : row.category(),
                            row.labels(),
                            row.detected(),
                            ratio(row.recall()),
                            row.alerts(),
                            row.truePositives(),
                            row.falseAlerts(),
                            ratio(row.precision())));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nFalse alerts per million benign records: **%.2f** (%d false alerts,"
                                + " %,d benign records).%n",
                        r.falseAlertsPerMillionBenign(),
                        r.total().falseAlerts(),
                        r.benignRecords()));
        for (Row row : r.rows()) {
            if (row.labels() > 0 && row.alerts() == 0) {
                sb.append(
                        String.format(
                                "%n_%s: no alert of this category at all (is its detector wired"
                                        + " into replay?)._%n",
                                row.category()));
            }
        }
        if (!r.missed().isEmpty()) {
            sb.append("\nMissed labels:\n\n");
            for (Labels.Label l : r.missed()) {
                sb.append(
                        String.format(
                                "- `%s` %s %s %s..%s%n",
                                l.id(), l.detector(), l.entity(), l.start(), l.end()));
            }
        }
        if (!r.falseAlerts().isEmpty()) {
            sb.append("\nFalse alerts:\n\n");
            int shown = 0;
            for (Alert a : r.falseAlerts()) {
                if (shown++ == 25) {
                    sb.append("- ... and ").append(r.falseAlerts().size() - 25).append(" more\n");
                    break;
                }
                sb.append(String.format("- %s %s: %s%n", a.start(), a.detector(), a.title()));
            }
        }
        return sb.toString();
    }

    private static String ratio(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.2f", x);
    }
}
