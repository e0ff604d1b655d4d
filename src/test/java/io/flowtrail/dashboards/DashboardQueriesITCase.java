package io.flowtrail.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowtrail.cli.Main;
import io.flowtrail.report.KmsUsageFixture;
import io.flowtrail.support.SampleLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every DuckDB query shipped under {@code dashboards/queries/}, run through {@code
 * dashboards/duckdb/views.sql} on the replay of {@code sample-logs/}, answers what the sample's
 * README and {@code expected.json} say: so the queries cannot rot as the tables change.
 *
 * <p>A query added without a check here fails {@link #everyShippedQueryHasACheck()}. The KMS
 * queries run on the replay (no rows while the replay writes no {@code kms_usage}; the sample's
 * facts once it does) and on the same output with a {@code kms_usage} fixture built from {@code
 * expected_cloudtrail.json}.
 */
class DashboardQueriesITCase {
    @TempDir static Path out;
    @TempDir static Path withKmsFixture;

    static final JsonNode EXPECTED = SampleLogs.expected();
    static final String DB_A = "eni-030a037efd7376ab4";
    static final String WEB_A3 = "eni-0fc434d6e6054aa24";
    static final String BASTION = "eni-056dfd21e9d1f5c01";
    static final String BATCH_B = "eni-0c4b11609cef605c9";
    static final String SCANNER = "203.0.113.66";
    static final String NACL_90 =
            EXPECTED.get("config").get("nacl_change").get("attribution").asText();
    static final String SG = "sg:no-matching-rule";

    static boolean kmsInReplay;

    @BeforeAll
    static void replay() throws Exception {
        StringWriter err = new StringWriter();
        int code =
                Main.run(
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true),
                        "replay",
                        SampleLogs.DIR.toString(),
                        "--out",
                        out.toString(),
                        "--quiet");
        assertThat(code).as("replay exit code; stderr: %s", err).isZero();
        kmsInReplay = Files.isDirectory(out.resolve("kms_usage"));
        KmsUsageFixture.copyWithFixture(out, withKmsFixture);
    }

    // ---- the checks, one per shipped query ----

    /** What one query must answer on the sample. */
    interface Check {
        void verify(Session db, String sql) throws Exception;
    }

    static final Map<String, Check> CHECKS = new TreeMap<>();

    static {
        CHECKS.put(
                "rejected_traffic_per_interface.sql", DashboardQueriesITCase::rejectedPerInterface);
        CHECKS.put("rejected_flows_by_rule.sql", DashboardQueriesITCase::rejectedByRule);
        CHECKS.put("top_rejected_targets.sql", DashboardQueriesITCase::topRejectedTargets);
        CHECKS.put("top_rejected_sources.sql", DashboardQueriesITCase::topRejectedSources);
        CHECKS.put("egress_bytes_by_destination_class.sql", DashboardQueriesITCase::egressByClass);
        CHECKS.put(
                "new_external_destinations.sql", DashboardQueriesITCase::newExternalDestinations);
        CHECKS.put("alerts_by_category_and_severity.sql", DashboardQueriesITCase::alertsByCategory);
        CHECKS.put("alert_evidence.sql", DashboardQueriesITCase::alertEvidence);
        CHECKS.put("dead_letters_by_reason.sql", DashboardQueriesITCase::deadLetters);
        CHECKS.put(
                "kms_calls_by_key_and_principal.sql",
                (db, sql) -> kmsOnReplay(db, sql, DashboardQueriesITCase::kmsCalls));
        CHECKS.put(
                "kms_first_seen_principals.sql",
                (db, sql) -> kmsOnReplay(db, sql, DashboardQueriesITCase::kmsFirstSeen));
    }

    static final Map<String, Check> KMS_CHECKS =
            Map.of(
                    "kms_calls_by_key_and_principal.sql", DashboardQueriesITCase::kmsCalls,
                    "kms_first_seen_principals.sql", DashboardQueriesITCase::kmsFirstSeen);

    @Test
    void everyShippedQueryHasACheck() {
        List<String> shipped =
                SqlScript.files(SqlScript.QUERIES).stream()
                        .map(p -> p.getFileName().toString())
                        .toList();
        assertThat(shipped).hasSizeGreaterThanOrEqualTo(8);
        assertThat(shipped).containsExactlyInAnyOrderElementsOf(CHECKS.keySet());
        assertThat(KMS_CHECKS.keySet()).allMatch(CHECKS::containsKey);
    }

    @TestFactory
    Stream<DynamicTest> everyShippedQueryAnswersWhatTheSampleSays() {
        return SqlScript.files(SqlScript.QUERIES).stream()
                .map(
                        file ->
                                DynamicTest.dynamicTest(
                                        file.getFileName().toString(),
                                        () -> {
                                            Check check = CHECKS.get(file.getFileName().toString());
                                            assertThat(check)
                                                    .as("a check for %s", file)
                                                    .isNotNull();
                                            try (Session db = new Session(out)) {
                                                check.verify(db, SqlScript.read(file));
                                            }
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> theKmsQueriesAnswerWhatTheCloudTrailSampleSaysOnAFixture() {
        return KMS_CHECKS.entrySet().stream()
                .map(
                        e ->
                                DynamicTest.dynamicTest(
                                        e.getKey(),
                                        () -> {
                                            try (Session db = new Session(withKmsFixture)) {
                                                assertThat(
                                                                db.value(
                                                                        "SELECT getvariable('flowtrail_has_kms_usage')"))
                                                        .isEqualTo(true);
                                                e.getValue()
                                                        .verify(
                                                                db,
                                                                SqlScript.read(
                                                                        SqlScript.QUERIES.resolve(
                                                                                e.getKey())));
                                            }
                                        }));
    }

    static void rejectedPerInterface(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        assertThat(rows.columns())
                .startsWith("window_start", "interface_id", "rejected_flows", "rejected_packets");
        assertThat(rows.sum("rejected_flows"))
                .isEqualTo(EXPECTED.get("totals").get("reject").asLong());
        Map<String, Long> perInterface = new TreeMap<>();
        for (Map<String, Object> r : rows.list()) {
            perInterface.merge(
                    (String) r.get("interface_id"), asLong(r.get("rejected_flows")), Long::sum);
        }
        Map<String, Long> expected = new TreeMap<>();
        EXPECTED.get("by_interface")
                .fields()
                .forEachRemaining(
                        e -> {
                            if (e.getValue().get("reject").asLong() > 0) {
                                expected.put(e.getKey(), e.getValue().get("reject").asLong());
                            }
                        });
        assertThat(perInterface).isEqualTo(expected);
        // Incident 4 on db-a: 130, 138 and 136 in its three windows, all by NACL entry 90.
        List<Map<String, Object>> dbA = rows.where("interface_id", DB_A);
        assertThat(dbA)
                .extracting(r -> r.get("window_start").toString())
                .containsExactly(
                        "2026-11-02T10:35:00Z", "2026-11-02T10:40:00Z", "2026-11-02T10:45:00Z");
        List<Long> perWindow = new ArrayList<>();
        incident("rejected-spike-db-a-nacl")
                .get("evidence")
                .get("per_5_minutes")
                .forEach(n -> perWindow.add(n.asLong()));
        assertThat(dbA)
                .extracting(r -> asLong(r.get("rejected_flows")))
                .containsExactlyElementsOf(perWindow);
        assertThat(dbA).extracting(r -> r.get("rules")).containsOnly(NACL_90);
        // Incident 2 on web-a3: 436 rejects in 10:40-10:45 and none in the rest of the hour.
        assertThat(rows.where("interface_id", WEB_A3))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.get("window_start").toString())
                                    .isEqualTo("2026-11-02T10:40:00Z");
                            assertThat(asLong(r.get("rejected_flows"))).isEqualTo(436);
                            assertThat(r.get("rules")).isEqualTo(SG);
                        });
    }

    static void rejectedByRule(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        JsonNode byAttribution = EXPECTED.get("config").get("rejects").get("by_attribution");
        Map<String, Long> perRule = new TreeMap<>();
        for (Map<String, Object> r : rows.list()) {
            perRule.merge(
                    (String) r.get("attributed_to"), asLong(r.get("rejected_flows")), Long::sum);
        }
        // The sample's "other" REJECTs (NAT gateways dropping unsolicited inbound) have no rule:
        // Flowtrail writes them as unattributed.
        assertThat(perRule)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                NACL_90,
                                byAttribution.get(NACL_90).asLong(),
                                SG,
                                byAttribution.get(SG).asLong(),
                                "unattributed",
                                byAttribution.get("other").asLong()));
        assertThat(rows.where("attributed_to", NACL_90))
                .extracting(
                        r ->
                                r.get("window_start").toString()
                                        + " "
                                        + asLong(r.get("rejected_flows")))
                .containsExactly(
                        "2026-11-02T10:35:00Z 130",
                        "2026-11-02T10:40:00Z 138",
                        "2026-11-02T10:45:00Z 136");
    }

    static void topRejectedTargets(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        assertThat(rows.list()).hasSizeLessThanOrEqualTo(20);
        assertThat(rows.list().get(0))
                .containsEntry("interface_id", DB_A)
                .containsEntry("protocol", 6)
                .containsEntry("dst_port", 5432)
                .containsEntry("rule", NACL_90);
        assertThat(asLong(rows.list().get(0).get("rejected_flows"))).isEqualTo(404);
        assertThat(asLong(rows.list().get(0).get("max_distinct_sources"))).isEqualTo(3);
        assertThat(asLong(rows.list().get(0).get("windows"))).isEqualTo(3);
        // Incident 2 by port: 200 on tcp 5432, 200 on tcp 6379, 36 on udp 53.
        JsonNode byPort = incident("rejected-spike-web-a3").get("evidence").get("by_port");
        for (Map<String, Object> r : rows.where("interface_id", WEB_A3)) {
            assertThat(asLong(r.get("rejected_flows")))
                    .isEqualTo(byPort.get(r.get("dst_port").toString()).asLong());
            assertThat(r.get("rule")).isEqualTo(SG);
        }
        assertThat(rows.where("interface_id", WEB_A3)).hasSize(3);
    }

    static void topRejectedSources(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        assertThat(rows.columns()).startsWith("src_addr", "rejected_flows", "rules", "target");
        // The largest: web-b2 pointed at web-a3, all 436 rejected by web-a3's security group.
        assertThat(rows.list().get(0))
                .containsEntry(
                        "src_addr", incident("rejected-spike-web-a3").get("src_addr").asText())
                .containsEntry("target", WEB_A3)
                .containsEntry("rules", SG + " (436)");
        // db-a's spike names the three app-b web servers and NACL entry 90.
        List<Map<String, Object>> dbA = rows.where("target", DB_A);
        List<String> appB = new ArrayList<>();
        incident("rejected-spike-db-a-nacl").get("src_addrs").forEach(a -> appB.add(a.asText()));
        assertThat(dbA)
                .extracting(r -> r.get("src_addr"))
                .containsExactlyInAnyOrderElementsOf(appB);
        assertThat(dbA.stream().mapToLong(r -> asLong(r.get("rejected_flows"))).sum())
                .isEqualTo(130);
        assertThat(dbA).extracting(r -> r.get("rules")).containsOnly(NACL_90 + " (130)");
        // The scanner: 199 probes rejected by the bastion's group; the sweep of port 22 rejected
        // by the security groups (18) and, on the NAT gateways, by no rule (4).
        JsonNode bySource = EXPECTED.get("config").get("rejects").get("by_source");
        List<Map<String, Object>> scans = rows.where("src_addr", SCANNER);
        assertThat(scans)
                .extracting(r -> r.get("detector") + " " + r.get("target") + " " + r.get("rules"))
                .containsExactlyInAnyOrder(
                        "vertical_port_scan "
                                + BASTION
                                + " "
                                + SG
                                + " ("
                                + bySource.get("scan-vertical").get(SG).asLong()
                                + ")",
                        "horizontal_port_scan port 22 "
                                + SG
                                + " ("
                                + bySource.get("scan-horizontal").get(SG).asLong()
                                + "), unattributed ("
                                + bySource.get("scan-horizontal")
                                        .get("nat_gateway:unsolicited-inbound")
                                        .asLong()
                                + ")");
    }

    static void egressByClass(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        long egress =
                asLong(
                        db.value(
                                "SELECT sum(bytes) FROM flow_summary"
                                        + " WHERE direction = 'egress' AND action = 'ACCEPT'"));
        assertThat(rows.sum("egress_bytes")).isEqualTo(egress);
        for (Map<String, Object> r : rows.list()) {
            assertThat(
                            asLong(r.get("bytes_to_new_public_destinations"))
                                    + asLong(r.get("bytes_to_new_private_destinations"))
                                    + asLong(r.get("bytes_class_not_recorded")))
                    .as("the parts of %s", r.get("interface_id"))
                    .isEqualTo(asLong(r.get("egress_bytes")));
        }
        JsonNode incident = incident("unexpected-egress-batch-b");
        assertThat(rows.where("interface_id", BATCH_B))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(asLong(r.get("bytes_to_new_public_destinations")))
                                    .isEqualTo(
                                            incident.get("evidence")
                                                    .get("bytes_on_source_interface")
                                                    .asLong());
                            assertThat(r.get("named_destinations"))
                                    .isEqualTo(
                                            incident.get("dst_addr").asText()
                                                    + ":"
                                                    + incident.get("dst_port").asInt());
                        });
        assertThat(
                        rows.sum("bytes_to_new_public_destinations")
                                + rows.sum("bytes_to_new_private_destinations"))
                .isEqualTo(incident.get("evidence").get("bytes_on_source_interface").asLong());
        // The backup instance sends the most: its S3 uploads.
        JsonNode s3 = EXPECTED.get("s3_uploads");
        assertThat(rows.list().get(0).get("interface_id"))
                .isEqualTo(s3.get("interface_id").asText());
        assertThat(asLong(rows.list().get(0).get("egress_bytes")))
                .isGreaterThanOrEqualTo(s3.get("bytes").asLong());
    }

    static void newExternalDestinations(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        JsonNode incident = incident("unexpected-egress-batch-b");
        assertThat(rows.list())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.get("first_seen_window").toString())
                                    .isEqualTo(incident.get("window_start").asText());
                            assertThat(r)
                                    .containsEntry("interface_id", BATCH_B)
                                    .containsEntry("destination", incident.get("dst_addr").asText())
                                    .containsEntry("port", incident.get("dst_port").asInt())
                                    .containsEntry("class", "public");
                            assertThat(asLong(r.get("bytes")))
                                    .isEqualTo(
                                            incident.get("evidence")
                                                    .get("bytes_on_source_interface")
                                                    .asLong());
                            assertThat((String) r.get("volume_alert"))
                                    .startsWith("egress_volume_spike 3031.0 MB");
                        });
    }

    static void alertsByCategory(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        Map<String, Long> byCategory = new TreeMap<>();
        for (Map<String, Object> r : rows.list()) {
            byCategory.merge((String) r.get("category"), asLong(r.get("alerts")), Long::sum);
        }
        assertThat(byCategory.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(asLong(db.value("SELECT count(*) FROM alerts")));
        // The flow incidents of expected.json, one alert each, except that batch-b's upload
        // raises both unexpected_egress detectors it names (new destination and volume), plus
        // the posture finding. Categories the flow sample does not cover (KMS, correlations) are
        // left to their own tests.
        assertThat(byCategory)
                .containsEntry("port_scan", 2L)
                .containsEntry("rejected_traffic_spike", 2L)
                .containsEntry("unexpected_egress", 2L)
                .containsEntry("config_posture", (long) EXPECTED.get("posture").size());
        assertThat(rows.where("category", "config_posture"))
                .extracting(r -> r.get("hour_utc").toString())
                .containsOnly("2026-11-02T09:00:00Z");
        assertThat(rows.where("category", "port_scan"))
                .extracting(r -> r.get("severity") + " " + r.get("detectors"))
                .containsExactly("HIGH vertical_port_scan", "MEDIUM horizontal_port_scan");
    }

    static void alertEvidence(Session db, String sql) throws SQLException {
        String id =
                (String)
                        db.value(
                                "SELECT alert_id FROM alerts WHERE interface_id = '"
                                        + DB_A
                                        + "' AND category = 'rejected_traffic_spike'");
        db.execute("SET VARIABLE alert_id = '" + id + "'");
        Map<String, String> fields = db.query(sql).asMap("field", "value");
        assertThat(fields)
                .containsEntry("alert.alert_id", id)
                .containsEntry("alert.category", "rejected_traffic_spike / reject_spike")
                .containsEntry("alert.window_utc", "2026-11-02 10:35 to 2026-11-02 10:40")
                .containsEntry("rejected_flows", "130")
                .containsEntry("attribution", "[{\"value\":\"" + NACL_90 + "\",\"count\":130}]");
        assertThat(fields.get("top_sources")).contains("10.20.11.11", "10.20.11.12", "10.20.11.13");
        assertThat(List.copyOf(fields.keySet()).subList(0, 7))
                .allMatch(k -> k.startsWith("alert."));
        // Without the variable: the most severe alert, the latest first.
        db.execute("RESET VARIABLE alert_id");
        Map<String, String> fallback = db.query(sql).asMap("field", "value");
        assertThat(fallback)
                .containsEntry("alert.severity", "CRITICAL")
                .containsEntry("alert.category", "correlated_incident / key_usage_then_egress");
    }

    static void deadLetters(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        assertThat(rows.sum("records")).isEqualTo(EXPECTED.get("totals").get("malformed").asLong());
        assertThat(rows.list())
                .extracting(r -> r.get("problem"))
                .containsExactlyInAnyOrder("truncated", "packets", "dstaddr");
        for (JsonNode m : EXPECTED.get("malformed")) {
            assertThat(rows.list())
                    .extracting(r -> (String) r.get("first_location"))
                    .anyMatch(
                            l -> l.endsWith(m.get("file").asText() + ":" + m.get("line").asInt()));
        }
    }

    /** The KMS checks on the replay: its facts once it writes kms_usage, no rows until then. */
    static void kmsOnReplay(Session db, String sql, Check check) throws Exception {
        if (kmsInReplay) {
            check.verify(db, sql);
            return;
        }
        assertThat(db.value("SELECT getvariable('flowtrail_has_kms_usage')")).isEqualTo(false);
        Rows rows = db.query(sql);
        assertThat(rows.list()).isEmpty();
        assertThat(rows.columns()).contains("key_arn", "principal_arn");
    }

    static void kmsCalls(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        JsonNode pairs = KmsUsageFixture.busiestPairs();
        for (JsonNode pair : pairs) {
            assertThat(rows.list())
                    .filteredOn(
                            r ->
                                    pair.get("key_arn").asText().equals(r.get("key_arn"))
                                            && pair.get("principal_arn")
                                                    .asText()
                                                    .equals(r.get("principal_arn")))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(asLong(r.get("calls")))
                                        .isEqualTo(pair.get("calls").asLong());
                                assertThat(asLong(r.get("errors")))
                                        .isEqualTo(pair.get("errors").asLong());
                            });
        }
        assertThat(rows.list().get(0))
                .containsEntry("key_arn", pairs.get(0).get("key_arn").asText())
                .containsEntry("principal_arn", pairs.get(0).get("principal_arn").asText());
    }

    static void kmsFirstSeen(Session db, String sql) throws SQLException {
        Rows rows = db.query(sql);
        List<Instant> windows = KmsUsageFixture.windows();
        for (JsonNode pair : KmsUsageFixture.busiestPairs()) {
            int first = 0;
            while (pair.get("calls_per_window").get(first).asLong() == 0) {
                first++;
            }
            Instant firstSeen = windows.get(first);
            assertThat(rows.list())
                    .filteredOn(
                            r ->
                                    pair.get("key_arn").asText().equals(r.get("key_arn"))
                                            && pair.get("principal_arn")
                                                    .asText()
                                                    .equals(r.get("principal_arn")))
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("first_seen")).isEqualTo(firstSeen));
        }
        // The developer probing every key at 10:30 is new on the app-data key, which the batch
        // and web roles had used since 10:00.
        String appData =
                KmsUsageFixture.expected().get("keys").get("alias/flowtrail-app-data").asText();
        assertThat(rows.where("key_arn", appData))
                .extracting(
                        r ->
                                shortArn((String) r.get("principal_arn"))
                                        + " "
                                        + r.get("new_principal"))
                .contains(
                        "user/dev-rkumar true",
                        "role/flowtrail-sample-batch false",
                        "role/flowtrail-sample-web false");
    }

    // ---- the views themselves ----

    @Test
    void theViewsHaveTheColumnsAndTypesOfTheAthenaDdl() throws Exception {
        for (Path dir : List.of(out, withKmsFixture)) {
            try (Session db = new Session(dir)) {
                for (Path ddlFile : SqlScript.files(SqlScript.ATHENA)) {
                    AthenaDdlTest.Ddl ddl = AthenaDdlTest.parse(SqlScript.read(ddlFile));
                    Map<String, String> view = new LinkedHashMap<>();
                    for (Map<String, Object> c : db.query("DESCRIBE " + ddl.table()).list()) {
                        view.put(
                                (String) c.get("column_name"),
                                athenaType((String) c.get("column_type")));
                    }
                    Map<String, String> expected = new LinkedHashMap<>(ddl.columns());
                    expected.put("dt", "date");
                    expected.put("hr", "int");
                    assertThat(view)
                            .as("%s in %s", ddl.table(), dir)
                            .containsExactlyEntriesOf(expected);
                }
            }
        }
    }

    /** The writers' folders are those the Athena projection template names: dt=.../hr=HH. */
    @Test
    void theWritersPartitionFoldersAreThoseTheAthenaTemplateNames() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThat(out.relativize(f.getParent()).toString().replace('\\', '/'))
                    .matches("[a-z_]+/dt=\\d{4}-\\d{2}-\\d{2}/hr=([01]\\d|2[0-3])");
        }
    }

    @Test
    void theViewsReadTheFolderTheVariableNames() throws Exception {
        try (Session db = new Session(out)) {
            assertThat(asLong(db.value("SELECT sum(flows) FROM flow_summary")))
                    .isEqualTo(EXPECTED.get("totals").get("ok").asLong());
            assertThat(db.value("SELECT current_setting('TimeZone')")).isEqualTo("UTC");
            assertThat(
                            db.value(
                                    "SELECT address_class('10.20.0.1') || address_class('192.0.2.200')"
                                            + " || address_class('fd00::1') || address_class('2001:db8::1')"))
                    .isEqualTo("privatepublicprivatepublic");
        }
    }

    @Test
    void theViewsSayWhatIsMissingWhenTheFolderIsNotSet() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            List<String> statements = SqlScript.statements(SqlScript.read(SqlScript.VIEWS));
            st.execute(statements.get(0));
            assertThatThrownBy(() -> st.execute(statements.get(1)))
                    .hasMessageContaining(
                            "flowtrail_out is not set: SET VARIABLE flowtrail_out = '/path/to/out';"
                                    + " first");
        }
    }

    static String athenaType(String duckdb) {
        switch (duckdb) {
            case "VARCHAR":
                return "string";
            case "BIGINT":
                return "bigint";
            case "INTEGER":
                return "int";
            case "DOUBLE":
                return "double";
            case "BOOLEAN":
                return "boolean";
            case "DATE":
                return "date";
            case "TIMESTAMP WITH TIME ZONE":
                return "timestamp";
            default:
                return "unmapped " + duckdb;
        }
    }

    static JsonNode incident(String id) {
        for (JsonNode i : EXPECTED.get("incidents")) {
            if (i.get("id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no incident " + id + " in expected.json");
    }

    /**
     * {@code role/flowtrail-sample-web} of {@code
     * arn:aws:iam::111122223333:role/flowtrail-sample-web}.
     */
    static String shortArn(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    static long asLong(Object o) {
        if (o == null) {
            return 0;
        }
        return ((Number) o).longValue();
    }

    /** A DuckDB session that has read {@code dashboards/duckdb/views.sql} over a folder. */
    static final class Session implements AutoCloseable {
        private final Connection connection;

        Session(Path outDir) throws SQLException {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            execute("SET VARIABLE flowtrail_out = '" + outDir.toAbsolutePath() + "'");
            for (String s : SqlScript.statements(SqlScript.read(SqlScript.VIEWS))) {
                execute(s);
            }
        }

        void execute(String sql) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute(sql);
            }
        }

        /** Runs a query file: its statements in order, the rows of the last one. */
        Rows query(String sql) throws SQLException {
            List<String> statements = SqlScript.statements(sql);
            for (String s : statements.subList(0, statements.size() - 1)) {
                execute(s);
            }
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery(statements.get(statements.size() - 1))) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.put(columns.get(i - 1), normalise(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return new Rows(columns, rows);
            }
        }

        Object value(String sql) throws SQLException {
            Rows rows = query(sql);
            assertThat(rows.list()).hasSize(1);
            return rows.list().get(0).values().iterator().next();
        }

        private static Object normalise(Object v) {
            if (v instanceof OffsetDateTime) {
                return ((OffsetDateTime) v).toInstant();
            }
            if (v instanceof BigInteger || v instanceof BigDecimal) {
                return ((Number) v).longValue();
            }
            return v;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** A result: its column names and rows (timestamps as instants, huge integers as longs). */
    record Rows(List<String> columns, List<Map<String, Object>> list) {
        long sum(String column) {
            return list.stream().mapToLong(r -> asLong(r.get(column))).sum();
        }

        List<Map<String, Object>> where(String column, Object value) {
            return list.stream().filter(r -> value.equals(r.get(column))).toList();
        }

        Map<String, String> asMap(String key, String value) {
            Map<String, String> m = new LinkedHashMap<>();
            list.forEach(r -> m.put((String) r.get(key), (String) r.get(value)));
            return m;
        }
    }
}
