package io.flowtrail.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowSummaryRow;
import io.flowtrail.model.RejectRow;
import io.flowtrail.sink.ParquetTable;
import io.flowtrail.sink.Tables;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on small hand-made outputs: sums per window, rule and interface; an hour-long bucket
 * when the range is long; and the cases where a table or a column says less (no rejects table, no
 * direction, no alerts, no kms_usage), which the page must state rather than draw.
 */
class ReportDataTest {
    static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    static final long FIVE_MINUTES = 5 * 60_000L;

    @TempDir Path out;

    static FlowSummaryRow flows(
            long start, String eni, String direction, String action, long flows, long bytes) {
        FlowSummaryRow r = new FlowSummaryRow();
        r.windowStart = start;
        r.windowEnd = start + FIVE_MINUTES;
        r.accountId = "111122223333";
        r.interfaceId = eni;
        r.direction = direction;
        r.action = action;
        r.protocol = 6;
        r.flows = flows;
        r.packets = flows;
        r.bytes = bytes;
        return r;
    }

    static RejectRow reject(long start, String eni, String rule, long flows) {
        RejectRow r = new RejectRow();
        r.windowStart = start;
        r.windowEnd = start + FIVE_MINUTES;
        r.accountId = "111122223333";
        r.interfaceId = eni;
        r.protocol = 6;
        r.dstPort = 22;
        r.attributedTo = rule;
        r.flows = flows;
        return r;
    }

    <T> void write(ParquetTable<T> table, List<T> rows) throws IOException {
        Path dir = out.resolve(table.name()).resolve("dt=2026-11-02/hr=10");
        Files.createDirectories(dir);
        try (ParquetWriter<T> w =
                table.writer(
                        new LocalOutputFile(dir.resolve("part-0.parquet")),
                        CompressionCodecName.UNCOMPRESSED)) {
            for (T r : rows) {
                w.write(r);
            }
        }
    }

    @Test
    void sumsRejectsPerWindowAndRuleAndEgressPerInterface() throws IOException {
        write(
                Tables.FLOW_SUMMARY,
                List.of(
                        flows(T0, "eni-a", "egress", "ACCEPT", 3, 1_000),
                        flows(T0 + FIVE_MINUTES, "eni-a", "egress", "ACCEPT", 2, 500),
                        flows(T0, "eni-b", "egress", "ACCEPT", 1, 7_000),
                        flows(T0, "eni-b", "ingress", "ACCEPT", 1, 9_000),
                        flows(T0 + 2 * FIVE_MINUTES, "eni-b", "ingress", "REJECT", 4, 240)));
        write(
                Tables.REJECTS,
                List.of(
                        reject(T0 + 2 * FIVE_MINUTES, "eni-b", "sg:no-matching-rule", 3),
                        reject(T0 + 2 * FIVE_MINUTES, "eni-b", null, 1)));
        ReportData d = ReportData.read(out);

        assertThat(d.windowMillis).isEqualTo(FIVE_MINUTES);
        assertThat(d.dataStart).isEqualTo(T0);
        assertThat(d.dataEnd).isEqualTo(T0 + 3 * FIVE_MINUTES);
        assertThat(d.rejectedByBucket(FIVE_MINUTES))
                .containsExactly(
                        Map.entry(T0, Map.of()),
                        Map.entry(T0 + FIVE_MINUTES, Map.of()),
                        Map.entry(
                                T0 + 2 * FIVE_MINUTES,
                                Map.of("sg:no-matching-rule", 3L, "unattributed", 1L)));
        assertThat(d.egressByInterface())
                .containsExactly(Map.entry("eni-b", 7_000L), Map.entry("eni-a", 1_500L));
        assertThat(d.tableRows).containsOnlyKeys("flow_summary", "rejects");
        assertThat(d.hasKmsUsage).isFalse();

        String html = HtmlReport.render(d);
        assertThat(html)
                .contains("No alerts in this output.")
                .contains("Skipped: this output folder has no <code>kms_usage</code> table.")
                .contains("data-series=\"unattributed\" data-value=\"1\"");
        StringWriter text = new StringWriter();
        TerminalReport.print(d, new PrintWriter(text));
        assertThat(text.toString())
                .contains("alerts: 0")
                .contains("rejected flows per 5 minutes (UTC): 4 in total")
                .contains("  10:00 |  █| 10:15   max 4 at 10:10")
                .contains("by rule: sg:no-matching-rule 3, unattributed 1")
                .contains("busiest KMS keys: skipped");
    }

    @Test
    void withoutARejectsTableTheRejectsComeFromFlowSummaryAndWithoutDirectionThereIsNoEgress()
            throws IOException {
        write(
                Tables.FLOW_SUMMARY,
                List.of(
                        flows(T0, "eni-a", "unknown", "ACCEPT", 3, 1_000),
                        flows(T0, "eni-a", "unknown", "REJECT", 5, 300)));
        ReportData d = ReportData.read(out);

        assertThat(d.rejectsFromFlowSummary).isTrue();
        assertThat(d.rejectedByAttribution()).containsExactly(Map.entry("unattributed", 5L));
        assertThat(d.egressByInterface()).isEmpty();
        String html = HtmlReport.render(d);
        assertThat(html)
                .contains("from the <code>flow_summary</code> table")
                .contains("the direction of its rows is unknown");
        assertThat(HtmlReport.data(d, FIVE_MINUTES).get("rejected_flows").get("source").asText())
                .isEqualTo("flow_summary");
    }

    @Test
    void aLongRangeIsDrawnInCoarserBuckets() throws IOException {
        write(
                Tables.FLOW_SUMMARY,
                List.of(
                        flows(T0, "eni-a", "egress", "ACCEPT", 1, 1),
                        flows(T0 + 24 * 12 * FIVE_MINUTES, "eni-a", "egress", "ACCEPT", 1, 1)));
        ReportData d = ReportData.read(out);

        // A day and five minutes: 289 windows of 5 minutes, 97 of 15, 49 of 30.
        assertThat(d.bucketMillis(HtmlReport.MAX_BUCKETS)).isEqualTo(6 * FIVE_MINUTES);
        assertThat(d.buckets(6 * FIVE_MINUTES)).hasSize(49);
        assertThat(d.rejectedByBucket(6 * FIVE_MINUTES)).hasSize(49);
        assertThat(d.bucketMillis(TerminalReport.SPARKLINE_WIDTH)).isEqualTo(6 * FIVE_MINUTES);
        assertThat(d.bucketMillis(400)).isEqualTo(FIVE_MINUTES);
    }

    @Test
    void aFolderWithoutTablesIsNotAnOutputFolder() throws IOException {
        assertThat(ReportData.read(out).isOutputFolder()).isFalse();
    }
}
