package io.flowtrail.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.cli.Main;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.SampleLogs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report OUT --html FILE} on the replay of {@code sample-logs/}: the terminal summary, and a
 * page whose plotted totals (its embedded JSON and the values of its bars) equal the tables' sums
 * as DuckDB computes them, which opens in headless Chromium without a console error and renders to
 * a screenshot. The KMS chart is checked on the same output with a {@code kms_usage} fixture until
 * the replay writes the real table.
 *
 * <p>The Chromium tests skip only when {@code /usr/bin/chromium} is absent (Debian package {@code
 * chromium}).
 */
class ReportPageITCase {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode EXPECTED = SampleLogs.expected();

    @TempDir static Path out;
    @TempDir static Path work;

    static Path page;
    static String stdout;
    static int exitCode;

    static Path kmsOut;
    static Path kmsPage;
    static String kmsStdout;

    @BeforeAll
    static void replayAndReport() throws Exception {
        StringWriter err = new StringWriter();
        int replay =
                Main.run(
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true),
                        "replay",
                        SampleLogs.DIR.toString(),
                        "--out",
                        out.toString(),
                        "--quiet");
        assertThat(replay).as("replay; stderr: %s", err).isZero();

        page = work.resolve("report.html");
        StringWriter o = new StringWriter();
        exitCode =
                Main.run(
                        new PrintWriter(o, true),
                        new PrintWriter(err, true),
                        "report",
                        out.toString(),
                        "--html",
                        page.toString());
        stdout = o.toString();

        kmsOut = work.resolve("with-kms-fixture");
        KmsUsageFixture.copyWithFixture(out, kmsOut);
        kmsPage = work.resolve("report-kms.html");
        StringWriter k = new StringWriter();
        int kmsExit =
                Main.run(
                        new PrintWriter(k, true),
                        new PrintWriter(err, true),
                        "report",
                        kmsOut.toString(),
                        "--html",
                        kmsPage.toString());
        assertThat(kmsExit).as("report with the kms fixture; stderr: %s", err).isZero();
        kmsStdout = k.toString();
    }

    @Test
    void reportExitsZeroAndWritesThePage() {
        assertThat(exitCode).as(stdout).isZero();
        assertThat(page).isRegularFile();
        assertThat(stdout).contains("page: " + page.toAbsolutePath());
    }

    @Test
    void theTerminalSummaryShowsTheTopAlertsTheRejectedTrafficAndTheKeys() throws Exception {
        long alerts;
        try (DuckDb db = new DuckDb()) {
            alerts = db.count("SELECT count(*) FROM " + DuckDb.table(out, "alerts"));
        }
        JsonNode byRule = EXPECTED.get("config").get("rejects").get("by_attribution");
        assertThat(stdout)
                .contains("flowtrail report: " + out)
                .contains("data      2026-11-02 10:00 to 11:00 UTC (5-minute windows)")
                .contains("alerts: " + alerts + " (")
                .contains(
                        "  HIGH     2026-11-02 10:20Z  port_scan              Vertical port scan: 203.0.113.66")
                .contains(
                        String.format(
                                "rejected flows per 5 minutes (UTC): %,d in total",
                                EXPECTED.get("totals").get("reject").asLong()))
                .contains(
                        String.format(
                                "by rule: sg:no-matching-rule %,d, nacl:acl-06cc6be1805fdf179#90 %,d,"
                                        + " unattributed %,d",
                                byRule.get("sg:no-matching-rule").asLong(),
                                byRule.get("nacl:acl-06cc6be1805fdf179#90").asLong(),
                                byRule.get("other").asLong()));
        // One sparkline character per five minutes of the hour; the tallest at 10:40 (web-a3's
        // 436 and db-a's 138, plus background probes).
        Matcher spark =
                Pattern.compile("  10:00 \\|(.*)\\| 11:00   max (\\S+) at 10:40").matcher(stdout);
        assertThat(spark.find()).as(stdout).isTrue();
        assertThat(spark.group(1)).hasSize(12);
        assertThat(spark.group(1).charAt(8)).isEqualTo('█');
        if (Files.isDirectory(out.resolve("kms_usage"))) {
            assertThat(stdout).contains("busiest KMS keys: ");
        } else {
            assertThat(stdout).contains("busiest KMS keys: skipped, no kms_usage table in " + out);
        }
        JsonNode top = KmsUsageFixture.busiestPairs().get(0);
        assertThat(kmsStdout)
                .contains("busiest KMS keys: ")
                .contains(
                        top.get("key_arn").asText()
                                + "  (top: role/flowtrail-sample-batch "
                                + top.get("calls").asLong()
                                + ")");
    }

    @Test
    void thePlottedTotalsEqualTheTablesSums() throws Exception {
        checkTotals(data(Files.readString(page)), out);
    }

    @Test
    void theKmsChartTotalsEqualTheTablesSumsAndTheCloudTrailSample() throws Exception {
        JsonNode data = data(Files.readString(kmsPage));
        checkTotals(data, kmsOut);
        JsonNode byKey = data.get("kms_calls").get("by_key");
        for (JsonNode pair : KmsUsageFixture.busiestPairs()) {
            assertThat(
                            byKey.get(pair.get("key_arn").asText())
                                    .get("by_principal")
                                    .get(pair.get("principal_arn").asText())
                                    .asLong())
                    .isEqualTo(pair.get("calls").asLong());
        }
        if (!Files.isDirectory(out.resolve("kms_usage"))) {
            String html = Files.readString(page);
            assertThat(data(html).get("kms_calls").get("present").asBoolean()).isFalse();
            assertThat(html)
                    .contains("Skipped: this output folder has no <code>kms_usage</code> table.");
        }
    }

    @Test
    void theDrawnBarsAddUpToTheEmbeddedTotals() throws Exception {
        for (Path p : List.of(page, kmsPage)) {
            String html = Files.readString(p);
            JsonNode data = data(html);
            Map<String, Long> drawn = new TreeMap<>();
            Map<String, Long> rejectedCells = new TreeMap<>();
            Matcher m =
                    Pattern.compile(
                                    "<rect class=\"(?:seg|bar)\" data-chart=\"(\\w+)\"([^>]*?) data-value=\"(\\d+)\"")
                            .matcher(html);
            while (m.find()) {
                drawn.merge(m.group(1), Long.parseLong(m.group(3)), Long::sum);
                if (m.group(1).equals("rejected")) {
                    Matcher cell =
                            Pattern.compile("data-bucket=\"([^\"]+)\" data-series=\"([^\"]+)\"")
                                    .matcher(m.group(2));
                    assertThat(cell.find()).isTrue();
                    rejectedCells.put(
                            cell.group(1) + " " + unescape(cell.group(2)),
                            Long.parseLong(m.group(3)));
                }
            }
            assertThat(drawn.get("rejected"))
                    .isEqualTo(data.get("rejected_flows").get("total").asLong());
            assertThat(drawn.get("egress"))
                    .isEqualTo(data.get("egress_bytes").get("total").asLong());
            Map<String, Long> embeddedCells = new TreeMap<>();
            for (JsonNode b : data.get("rejected_flows").get("by_bucket")) {
                b.get("by_attribution")
                        .fields()
                        .forEachRemaining(
                                e ->
                                        embeddedCells.put(
                                                b.get("start").asText() + " " + e.getKey(),
                                                e.getValue().asLong()));
            }
            assertThat(rejectedCells).isEqualTo(embeddedCells);
            if (data.get("kms_calls").get("present").asBoolean()) {
                assertThat(drawn.get("kms")).isEqualTo(data.get("kms_calls").get("total").asLong());
            } else {
                assertThat(drawn).doesNotContainKey("kms");
            }
            Map<String, Long> marks = new TreeMap<>();
            Matcher mark =
                    Pattern.compile(
                                    "<rect class=\"mark\" data-chart=\"alerts\" data-category=\"([^\"]+)\" data-start=\"[^\"]+\" data-count=\"(\\d+)\"")
                            .matcher(html);
            while (mark.find()) {
                marks.merge(mark.group(1), Long.parseLong(mark.group(2)), Long::sum);
            }
            Map<String, Long> byCategory = new TreeMap<>();
            data.get("alerts")
                    .get("by_category")
                    .fields()
                    .forEachRemaining(e -> byCategory.put(e.getKey(), e.getValue().asLong()));
            assertThat(marks).isEqualTo(byCategory);
            // Every alert is listed with its evidence.
            for (JsonNode id : data.get("alerts").get("ids_in_order")) {
                assertThat(html).contains("<tr id=\"alert-" + id.asText() + "\"");
            }
        }
    }

    @Test
    void thePageNeedsNoNetwork() throws Exception {
        String html = Files.readString(page);
        assertThat(html)
                .doesNotContainPattern("(?i)(src|href)\\s*=")
                .doesNotContainPattern("(?i)url\\(")
                .doesNotContainPattern("(?i)@import")
                .doesNotContainPattern("(?i)<(link|img|iframe|object|embed)\\b");
        // The one script is data, which browsers do not run.
        Matcher scripts = Pattern.compile("(?i)<script([^>]*)>").matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1))
                    .isEqualTo(" type=\"application/json\" id=\"flowtrail-data\"");
        }
        assertThat(count).isEqualTo(1);
    }

    /** A script that records errors (script, resource, console.error) into the page at load. */
    static final String CONSOLE_RECORDER =
            "<script>\n"
                    + "window.__flowtrailErrors = [];\n"
                    + "window.addEventListener('error', function (e) {\n"
                    + "  window.__flowtrailErrors.push('error: ' + (e.message"
                    + " || (e.target && (e.target.src || e.target.href)) || e.type));\n"
                    + "}, true);\n"
                    + "window.addEventListener('unhandledrejection', function (e) {\n"
                    + "  window.__flowtrailErrors.push('unhandled rejection: ' + e.reason);\n"
                    + "});\n"
                    + "var originalError = console.error;\n"
                    + "console.error = function () {\n"
                    + "  window.__flowtrailErrors.push('console.error: '"
                    + " + Array.prototype.join.call(arguments, ' '));\n"
                    + "  originalError.apply(console, arguments);\n"
                    + "};\n"
                    + "window.addEventListener('load', function () {\n"
                    + "  var p = document.createElement('pre');\n"
                    + "  p.id = 'flowtrail-console';\n"
                    + "  p.textContent = JSON.stringify(window.__flowtrailErrors);\n"
                    + "  document.body.appendChild(p);\n"
                    + "});\n"
                    + "</script>\n";

    @Test
    void thePageOpensInChromiumWithoutConsoleErrors() throws Exception {
        assumeChromium();
        for (Path p : List.of(page, kmsPage)) {
            String html = Files.readString(p);
            Path instrumented = work.resolve("instrumented-" + p.getFileName());
            String head = "<meta charset=\"utf-8\">\n";
            assertThat(html).contains(head);
            Files.writeString(
                    instrumented,
                    html.replaceFirst(
                            Pattern.quote(head), head + CONSOLE_RECORDER.replace("$", "\\$")));
            Chromium dom =
                    chromium(
                            "--virtual-time-budget=5000",
                            "--dump-dom",
                            instrumented.toUri().toString());
            assertThat(dom.exit).as(dom.stderr).isZero();
            Matcher recorded =
                    Pattern.compile("<pre id=\"flowtrail-console\">(.*?)</pre>")
                            .matcher(dom.stdout);
            assertThat(recorded.find()).as("the recorder ran: %s", dom.stderr).isTrue();
            assertThat(recorded.group(1)).as("errors in %s", p.getFileName()).isEqualTo("[]");
            // The data block survives parsing as the page wrote it.
            assertThat(data(dom.stdout)).isEqualTo(data(html));

            // The page as written (no recorder): Chromium logs no console message at all.
            Chromium plain =
                    chromium(
                            "--enable-logging=stderr",
                            "--v=0",
                            "--virtual-time-budget=5000",
                            "--dump-dom",
                            p.toUri().toString());
            assertThat(plain.exit).as(plain.stderr).isZero();
            assertThat(plain.stderr.lines().filter(l -> l.contains(":CONSOLE")).toList()).isEmpty();
            assertThat(plain.stdout).contains("id=\"flowtrail-data\"");
        }
    }

    @Test
    void chromiumRendersThePageToANonTrivialScreenshot() throws Exception {
        assumeChromium();
        Path png = work.resolve("report.png");
        Chromium shot =
                chromium(
                        "--screenshot=" + png.toAbsolutePath(),
                        "--window-size=1280,2000",
                        page.toUri().toString());
        assertThat(shot.exit).as(shot.stderr).isZero();
        assertThat(png).isRegularFile();
        assertThat(Files.size(png)).isGreaterThan(30_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(2000);
        Set<Integer> colours = new HashSet<>();
        long background = 0;
        long samples = 0;
        int bg = image.getRGB(2, 2);
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb);
                background += rgb == bg ? 1 : 0;
                samples++;
            }
        }
        // Charts in several colours, and far from a blank page.
        assertThat(colours).hasSizeGreaterThan(50);
        assertThat((double) background / samples).isLessThan(0.9);
        // The bars of the rejected-flows chart: the security group blue and the NACL vermillion.
        assertThat(colours).contains(0xFF0072B2, 0xFFD55E00);
    }

    // ---- helpers ----

    /** The embedded data block of a page (or of a DOM dump). */
    static JsonNode data(String html) throws IOException {
        Matcher m =
                Pattern.compile(
                                "(?s)<script type=\"application/json\" id=\"flowtrail-data\">(.*?)</script>")
                        .matcher(html);
        assertThat(m.find()).as("the page has its data block").isTrue();
        return JSON.readTree(m.group(1));
    }

    /** The plotted totals equal DuckDB's sums over the tables of {@code dir}. */
    static void checkTotals(JsonNode data, Path dir) throws Exception {
        try (DuckDb db = new DuckDb()) {
            for (String t :
                    List.of("flow_summary", "rejects", "alerts", "dead_letters", "kms_usage")) {
                if (Files.isDirectory(dir.resolve(t))) {
                    assertThat(data.get("tables").get(t).asLong())
                            .as("rows of %s", t)
                            .isEqualTo(db.count("SELECT count(*) FROM " + DuckDb.table(dir, t)));
                } else {
                    assertThat(data.get("tables").has(t)).isFalse();
                }
            }
            // Rejected flows per bucket and rule.
            long bucket = (long) (data.get("bucket_minutes").asDouble() * 60_000);
            Map<String, Long> expected = new TreeMap<>();
            for (List<Object> r :
                    db.rows(
                            "SELECT epoch_ms(window_start) // "
                                    + bucket
                                    + " * "
                                    + bucket
                                    + ", coalesce(attributed_to, 'unattributed'), sum(flows) FROM "
                                    + DuckDb.table(dir, "rejects")
                                    + " GROUP BY ALL")) {
                expected.put(
                        Instant.ofEpochMilli(((Number) r.get(0)).longValue()) + " " + r.get(1),
                        ((Number) r.get(2)).longValue());
            }
            Map<String, Long> plotted = new TreeMap<>();
            for (JsonNode b : data.get("rejected_flows").get("by_bucket")) {
                long sum = 0;
                for (var it = b.get("by_attribution").fields(); it.hasNext(); ) {
                    var e = it.next();
                    plotted.put(b.get("start").asText() + " " + e.getKey(), e.getValue().asLong());
                    sum += e.getValue().asLong();
                }
                assertThat(b.get("total").asLong()).isEqualTo(sum);
            }
            assertThat(plotted).isEqualTo(expected);
            assertThat(data.get("rejected_flows").get("total").asLong())
                    .isEqualTo(db.count("SELECT sum(flows) FROM " + DuckDb.table(dir, "rejects")))
                    .isEqualTo(EXPECTED.get("totals").get("reject").asLong());
            assertThat(asMap(data.get("rejected_flows").get("by_attribution")))
                    .isEqualTo(
                            sums(
                                    db,
                                    "SELECT coalesce(attributed_to, 'unattributed'), sum(flows) FROM "
                                            + DuckDb.table(dir, "rejects")
                                            + " GROUP BY 1"));
            // Egress bytes per interface.
            assertThat(asMap(data.get("egress_bytes").get("by_interface")))
                    .isEqualTo(
                            sums(
                                    db,
                                    "SELECT interface_id, sum(bytes) FROM "
                                            + DuckDb.table(dir, "flow_summary")
                                            + " WHERE direction = 'egress' AND action IS DISTINCT FROM 'REJECT' GROUP BY 1"));
            assertThat(data.get("egress_bytes").get("total").asLong())
                    .isEqualTo(
                            db.count(
                                    "SELECT sum(bytes) FROM "
                                            + DuckDb.table(dir, "flow_summary")
                                            + " WHERE direction = 'egress' AND action IS DISTINCT FROM 'REJECT'"));
            // Alerts by category, severity, and window and category.
            String alerts = DuckDb.table(dir, "alerts");
            assertThat(data.get("alerts").get("total").asLong())
                    .isEqualTo(db.count("SELECT count(*) FROM " + alerts));
            assertThat(asMap(data.get("alerts").get("by_category")))
                    .isEqualTo(
                            sums(db, "SELECT category, count(*) FROM " + alerts + " GROUP BY 1"));
            assertThat(asMap(data.get("alerts").get("by_severity")))
                    .isEqualTo(
                            sums(db, "SELECT severity, count(*) FROM " + alerts + " GROUP BY 1"));
            Map<String, Long> timeline = new TreeMap<>();
            for (JsonNode t : data.get("alerts").get("by_window_start_and_category")) {
                timeline.put(
                        t.get("window_start").asText() + " " + t.get("category").asText(),
                        t.get("alerts").asLong());
            }
            Map<String, Long> expectedTimeline = new TreeMap<>();
            for (List<Object> r :
                    db.rows(
                            "SELECT epoch_ms(window_start), category, count(*) FROM "
                                    + alerts
                                    + " GROUP BY ALL")) {
                expectedTimeline.put(
                        Instant.ofEpochMilli(((Number) r.get(0)).longValue()) + " " + r.get(1),
                        ((Number) r.get(2)).longValue());
            }
            assertThat(timeline).isEqualTo(expectedTimeline);
            // KMS calls per key and principal, when the folder has them.
            JsonNode kms = data.get("kms_calls");
            assertThat(kms.get("present").asBoolean())
                    .isEqualTo(Files.isDirectory(dir.resolve("kms_usage")));
            if (kms.get("present").asBoolean()) {
                String usage = DuckDb.table(dir, "kms_usage");
                Map<String, Long> plottedKms = new TreeMap<>();
                kms.get("by_key")
                        .fields()
                        .forEachRemaining(
                                k ->
                                        k.getValue()
                                                .get("by_principal")
                                                .fields()
                                                .forEachRemaining(
                                                        p ->
                                                                plottedKms.put(
                                                                        k.getKey()
                                                                                + " "
                                                                                + p.getKey(),
                                                                        p.getValue().asLong())));
                assertThat(plottedKms)
                        .isEqualTo(
                                sums(
                                        db,
                                        "SELECT coalesce(key_arn, '(no key)') || ' ' || coalesce(principal_arn, '(no principal)'), sum(calls) FROM "
                                                + usage
                                                + " GROUP BY 1"));
                assertThat(kms.get("total").asLong())
                        .isEqualTo(db.count("SELECT sum(calls) FROM " + usage));
                assertThat(kms.get("errors").asLong())
                        .isEqualTo(db.count("SELECT sum(errors) FROM " + usage));
            }
        }
    }

    static Map<String, Long> sums(DuckDb db, String sql) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        for (List<Object> r : db.rows(sql)) {
            m.put((String) r.get(0), ((Number) r.get(1)).longValue());
        }
        return m;
    }

    static Map<String, Long> asMap(JsonNode object) {
        Map<String, Long> m = new TreeMap<>();
        object.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
        return m;
    }

    static String unescape(String attribute) {
        return attribute
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    static void assumeChromium() {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "skipped: "
                        + CHROMIUM
                        + " is absent (install Debian's chromium package:"
                        + " apt-get install -y chromium)");
    }

    record Chromium(int exit, String stdout, String stderr) {}

    private static int runs;

    /** Runs headless Chromium once, with its own profile, for at most two minutes. */
    static Chromium chromium(String... args) throws Exception {
        int run = ++runs;
        Path profile = work.resolve("chromium-profile-" + run);
        Path stdoutFile = work.resolve("chromium-" + run + ".out");
        Path stderrFile = work.resolve("chromium-" + run + ".err");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                CHROMIUM.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        Process p =
                new ProcessBuilder(command)
                        .redirectOutput(stdoutFile.toFile())
                        .redirectError(stderrFile.toFile())
                        .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + command);
        }
        return new Chromium(
                p.exitValue(),
                Files.readString(stdoutFile, StandardCharsets.UTF_8),
                Files.readString(stderrFile, StandardCharsets.UTF_8));
    }
}
