package io.flowtrail.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChartsTest {
    static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000L;

    @Test
    void aSparklineShowsEveryNonZeroValueAndLeavesZeroBlank() {
        assertThat(Charts.sparkline(new long[] {0, 1, 4, 8, 576, 0})).isEqualTo(" ▁▁▁█ ");
        assertThat(Charts.sparkline(new long[] {1, 2, 3, 4, 5, 6, 7, 8})).isEqualTo("▁▂▃▄▅▆▇█");
        assertThat(Charts.sparkline(new long[] {0, 0})).isEqualTo("  ");
        assertThat(Charts.sparkline(new long[0])).isEmpty();
    }

    @Test
    void ticksAreRoundAndCoverTheMaximum() {
        assertThat(Charts.ticks(578, 5, true)).containsExactly(0.0, 200.0, 400.0, 600.0);
        assertThat(Charts.ticks(3, 5, true)).containsExactly(0.0, 1.0, 2.0, 3.0);
        assertThat(Charts.ticks(8.73, 6, false)).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0, 10.0);
        assertThat(Charts.ticks(0, 5, true)).containsExactly(0.0, 1.0);
    }

    @Test
    void timeTicksFallOnRoundUtcTimes() {
        long step = Charts.timeStep(T0 - 60 * MINUTE, T0 + 60 * MINUTE, 12);
        assertThat(step).isEqualTo(10 * MINUTE);
        assertThat(Charts.timeTicks(T0 + 3 * MINUTE, T0 + 30 * MINUTE, step))
                .containsExactly(T0 + 10 * MINUTE, T0 + 20 * MINUTE, T0 + 30 * MINUTE);
        assertThat(Charts.tick(T0 + 40 * MINUTE, true)).isEqualTo("10:40");
        assertThat(Charts.tick(T0 + 40 * MINUTE, false)).isEqualTo("11-02 10:40");
        assertThat(Charts.oneDay(T0, T0 + 60 * MINUTE)).isTrue();
        assertThat(Charts.oneDay(T0, T0 + 14 * 60 * MINUTE + 1)).isFalse();
    }

    @Test
    void bytesUseDecimalUnitsWithThreeFigures() {
        assertThat(Charts.bytes(8_728_183_291L)).isEqualTo("8.73 GB");
        assertThat(Charts.bytes(889_082_101L)).isEqualTo("889 MB");
        assertThat(Charts.bytes(55_386_563L)).isEqualTo("55.4 MB");
        assertThat(Charts.bytes(4_026)).isEqualTo("4.03 kB");
        assertThat(Charts.bytes(12)).isEqualTo("12 bytes");
    }

    @Test
    void durationsAndTimesAreUtc() {
        assertThat(Charts.duration(5 * MINUTE)).isEqualTo("5 minutes");
        assertThat(Charts.duration(60 * MINUTE)).isEqualTo("1 hour");
        assertThat(Charts.durationAdjective(5 * MINUTE)).isEqualTo("5-minute");
        assertThat(Charts.durationAdjective(24 * 60 * MINUTE)).isEqualTo("1-day");
        assertThat(Charts.utc(T0)).isEqualTo("2026-11-02 10:00");
        assertThat(Charts.iso(T0)).isEqualTo("2026-11-02T10:00:00Z");
    }

    @Test
    void textIsEscapedForHtmlAndSvg() {
        assertThat(Charts.esc("<script>\"a\" & 'b'</script>"))
                .isEqualTo("&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;");
        assertThat(Charts.esc(null)).isEmpty();
        assertThat(
                        HtmlReport.safeJson(
                                new com.fasterxml.jackson.databind.ObjectMapper()
                                        .createObjectNode()
                                        .put("t", "</script><b>")))
                .doesNotContain("</script>")
                .contains("\\u003c/script>");
    }

    @Test
    void arnsAreShortenedToWhatAPersonReads() {
        assertThat(Charts.shortArn("arn:aws:iam::111122223333:role/flowtrail-sample-web"))
                .isEqualTo("role/flowtrail-sample-web");
        assertThat(
                        HtmlReport.keyLabel(
                                "arn:aws:kms:us-east-1:111122223333:key/6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"))
                .isEqualTo("6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b");
        assertThat(Charts.cut("abcdefgh", 5)).isEqualTo("abcd…");
    }
}
