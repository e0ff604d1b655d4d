package io.flowtrail.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowtrail.cli.Main;
import io.flowtrail.sink.Tables;
import io.flowtrail.support.DuckDb;
import io.flowtrail.support.SampleLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay sample-logs --out DIR}, as the README's first command runs it, read back with
 * DuckDB: every line of the input is accounted for, and the tables have the contract's shape.
 */
class ReplaySampleLogsITCase {
    @TempDir static Path out;

    static final JsonNode EXPECTED = SampleLogs.expected();
    static int exitCode;
    static String stdout;

    @BeforeAll
    static void replay() {
        StringWriter o = new StringWriter();
        exitCode =
                Main.run(
                        new PrintWriter(o, true),
                        new PrintWriter(new StringWriter(), true),
                        "replay",
                        SampleLogs.DIR.toString(),
                        "--out",
                        out.toString(),
                        "--quiet");
        stdout = o.toString();
    }

    @Test
    void exitsZeroAndPrintsCountsThatClose() {
        JsonNode totals = EXPECTED.get("totals");
        assertThat(exitCode).isZero();
        assertThat(stdout)
                .contains(String.format("records read        %,12d", totals.get("lines").asLong()))
                .contains(String.format("summarised          %,12d", totals.get("ok").asLong()))
                .contains("counts close                 yes");
    }

    @Test
    void flowsInFlowSummaryEqualTheOkRecordsOfTheInput() throws Exception {
        JsonNode totals = EXPECTED.get("totals");
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> sums =
                    db.rows(
                            "SELECT sum(flows), sum(packets), sum(bytes) FROM "
                                    + DuckDb.table(out, "flow_summary"));
            assertThat(((Number) sums.get(0).get(0)).longValue())
                    .isEqualTo(totals.get("ok").asLong());
            assertThat(((Number) sums.get(0).get(1)).longValue())
                    .isEqualTo(totals.get("packets").asLong());
            assertThat(((Number) sums.get(0).get(2)).longValue())
                    .isEqualTo(totals.get("bytes").asLong());
        }
    }

    @Test
    void everyOtherLineIsNoDataSkipDataOrADeadLetter() throws Exception {
        JsonNode totals = EXPECTED.get("totals");
        long lines = totals.get("lines").asLong();
        long ok = totals.get("ok").asLong();
        long noDataSkipData = totals.get("nodata").asLong() + totals.get("skipdata").asLong();
        try (DuckDb db = new DuckDb()) {
            long deadLetters =
                    db.count("SELECT count(*) FROM " + DuckDb.table(out, "dead_letters"));
            assertThat(deadLetters).isEqualTo(totals.get("malformed").asLong());
            assertThat(ok + noDataSkipData + deadLetters).isEqualTo(lines);
        }
        assertThat(stdout)
                .contains(
                        String.format(
                                "NODATA / SKIPDATA   %,12d  (%,d / %,d)",
                                noDataSkipData,
                                totals.get("nodata").asLong(),
                                totals.get("skipdata").asLong()));
    }

    @Test
    void eachDeadLetterNamesItsFileLineAndReason() throws Exception {
        List<String> expected = new ArrayList<>();
        for (JsonNode m : EXPECTED.get("malformed")) {
            expected.add(
                    SampleLogs.DIR.resolve(m.get("file").asText()) + ":" + m.get("line").asInt());
        }
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> rows =
                    db.rows(
                            "SELECT location, reason, raw FROM "
                                    + DuckDb.table(out, "dead_letters")
                                    + " ORDER BY location");
            assertThat(rows)
                    .extracting(r -> "file:" + r.get(0))
                    .containsExactlyInAnyOrderElementsOf(
                            expected.stream().map(e -> "file:" + e).toList());
            assertThat(rows)
                    .extracting(r -> (String) r.get(1))
                    .containsExactlyInAnyOrder(
                            "truncated: 10 of the 14 fields the format declares (the last one read"
                                    + " was bytes)",
                            "packets: expected a non-negative integer or -, got '12x'",
                            "dstaddr: expected an IPv4 or IPv6 address or -, got '10.20.300.5'");
            for (JsonNode m : EXPECTED.get("malformed")) {
                assertThat(rows).extracting(r -> (String) r.get(2)).contains(m.get("raw").asText());
            }
        }
    }

    @Test
    void tablesArePartitionedByUtcHourWithUtcTimestamps() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> partitions =
                    db.rows(
                            "SELECT DISTINCT CAST(dt AS VARCHAR), hr FROM "
                                    + DuckDb.table(out, "flow_summary")
                                    + " ORDER BY ALL");
            assertThat(partitions).containsExactly(List.of("2026-11-02", 10L));
            Object type =
                    db.value(
                            "SELECT typeof(window_start) FROM "
                                    + DuckDb.table(out, "flow_summary")
                                    + " LIMIT 1");
            assertThat(type).isEqualTo("TIMESTAMP WITH TIME ZONE");
            long badWindows =
                    db.count(
                            "SELECT count(*) FROM "
                                    + DuckDb.table(out, "flow_summary")
                                    + " WHERE epoch(window_end) - epoch(window_start) <> 300"
                                    + " OR epoch(window_start) % 300 <> 0");
            assertThat(badWindows).isZero();
        }
        try (Stream<Path> files = Files.walk(out.resolve("flow_summary"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")))
                    .allMatch(p -> p.getParent().toString().endsWith("dt=2026-11-02/hr=10"));
        }
    }

    @Test
    void theConfigurationJoinFillsVpcSubnetAndDirection() throws Exception {
        try (DuckDb db = new DuckDb()) {
            // The default-format flow log has no vpc-id or flow-direction: the config join fills
            // them.
            List<List<Object>> rows =
                    db.rows(
                            "SELECT vpc_id IS NULL, direction, count(*) > 0 FROM "
                                    + DuckDb.table(out, "flow_summary")
                                    + " GROUP BY ALL ORDER BY ALL");
            assertThat(rows)
                    .containsExactly(
                            List.of(false, "egress", true), List.of(false, "ingress", true));
        }
    }

    @Test
    void theAlertsTableHasTheContractsColumns() throws Exception {
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> columns =
                    db.rows(
                            "DESCRIBE SELECT * EXCLUDE (dt, hr) FROM "
                                    + DuckDb.table(out, "alerts"));
            assertThat(columns)
                    .extracting(c -> (String) c.get(0))
                    .containsExactlyElementsOf(Tables.ALERTS.columnNames());
        }
    }

    /**
     * Exactly the incidents sample-logs/README.md describes (flow logs and CloudTrail), by
     * category, entity and window, and the posture finding it lists: nothing else (no alert on the
     * background probes, the load balancers' fan-out, the backups to S3, the NAT gateway carrying
     * batch-b's upload, S3 decrypting for the application, the backup role's data keys).
     */
    @Test
    void raisesExactlyTheDocumentedIncidentsAndNothingElse() throws Exception {
        List<String> expected = new ArrayList<>();
        for (JsonNode i : EXPECTED.get("incidents")) {
            expected.add(
                    i.get("category").asText()
                            + " "
                            + i.get("entity").asText()
                            + " "
                            + i.get("window_start").asText().substring(11, 16));
        }
        for (JsonNode p : EXPECTED.get("posture")) {
            expected.add("config_posture " + p.get("entity").asText() + " 09:00");
        }
        for (JsonNode i : SampleLogs.expectedCloudTrail().get("incidents")) {
            expected.add(
                    i.get("category").asText()
                            + " "
                            + i.get("entity").asText()
                            + " "
                            + i.get("window_start").asText().substring(11, 16));
        }
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> alerts =
                    db.rows(
                            "SELECT category, CASE WHEN category = 'port_scan' THEN src_addr"
                                    + " WHEN category = 'config_posture' THEN json_extract_string(evidence, '$.group_id')"
                                    + " WHEN detector = 'kms_key_destruction' THEN key_arn"
                                    + " WHEN category = 'anomalous_key_usage' THEN principal_arn"
                                    + " WHEN detector = 'key_usage_then_egress' THEN json_extract_string(evidence, '$.instance_id')"
                                    + " WHEN detector = 'config_change_then_rejects' THEN json_extract_string(evidence, '$.resource_id')"
                                    + " ELSE interface_id END,"
                                    + " strftime(window_start AT TIME ZONE 'UTC', '%H:%M')"
                                    + " FROM "
                                    + DuckDb.table(out, "alerts"));
            assertThat(alerts)
                    .extracting(a -> a.get(0) + " " + a.get(1) + " " + a.get(2))
                    .containsOnlyElementsOf(expected)
                    .containsAll(expected);
        }
    }

    @Test
    void everyAlertHasAnIdSeverityTitleAndJsonEvidence() throws Exception {
        try (DuckDb db = new DuckDb()) {
            long bad =
                    db.count(
                            "SELECT count(*) FROM "
                                    + DuckDb.table(out, "alerts")
                                    + " WHERE length(alert_id) <> 32 OR severity NOT IN"
                                    + " ('LOW','MEDIUM','HIGH','CRITICAL') OR title IS NULL"
                                    + " OR json_valid(evidence) IS NOT TRUE");
            assertThat(bad).isZero();
            long ids =
                    db.count("SELECT count(DISTINCT alert_id) FROM " + DuckDb.table(out, "alerts"));
            long rows = db.count("SELECT count(*) FROM " + DuckDb.table(out, "alerts"));
            assertThat(ids).isEqualTo(rows).isGreaterThan(0);
        }
    }

    @Test
    void theNaclChangeIsNamedInTheEvidenceOfItsSpike() throws Exception {
        String attribution = EXPECTED.get("config").get("nacl_change").get("attribution").asText();
        try (DuckDb db = new DuckDb()) {
            String evidence =
                    (String)
                            db.value(
                                    "SELECT evidence FROM "
                                            + DuckDb.table(out, "alerts")
                                            + " WHERE interface_id = 'eni-030a037efd7376ab4'"
                                            + " AND category = 'rejected_traffic_spike'");
            assertThat(evidence)
                    .contains("\"attribution\":[{\"value\":\"" + attribution + "\",\"count\":130}]")
                    .contains("\"snapshot_in_force_since\":\"2026-11-02T10:35:00Z\"");
        }
    }

    /** The configuration join names the rule behind at least 95% of the REJECTs. */
    @Test
    void rejectsAreAttributedAsTheConfigurationExplainsThem() throws Exception {
        JsonNode config = EXPECTED.get("config").get("rejects");
        try (DuckDb db = new DuckDb()) {
            List<List<Object>> rows =
                    db.rows(
                            "SELECT attributed_to, sum(flows) FROM "
                                    + DuckDb.table(out, "rejects")
                                    + " GROUP BY 1 ORDER BY 1");
            long total = 0;
            long attributed = 0;
            for (List<Object> r : rows) {
                long flows = ((Number) r.get(1)).longValue();
                total += flows;
                if (!"unattributed".equals(r.get(0))) {
                    attributed += flows;
                    assertThat(flows)
                            .as("flows of %s", r.get(0))
                            .isEqualTo(
                                    config.get("by_attribution").get((String) r.get(0)).asLong());
                }
            }
            assertThat(total).isEqualTo(config.get("total").asLong());
            assertThat((double) attributed / total).isGreaterThanOrEqualTo(0.95);
        }
    }
}
