package io.flowtrail.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code eventTime} as CloudTrail writes it, and what is not such a time. */
class CloudTrailTimesTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-02T10:45:12Z",
                "2026-11-02T10:45:12.5Z",
                "2026-11-02T10:45:12.123Z",
                "2026-11-02T10:45:12.123456789Z",
                "1970-01-01T00:00:00Z",
                "2024-02-29T23:59:59Z",
                "1969-12-31T23:59:59Z",
                "2100-03-01T00:00:00Z",
                "2026-11-02T10:45:12+00:00",
                "2026-11-02T12:45:12+02:00",
                "2026-11-02T05:45:12-0500"
            })
    void parsesLikeJavaTime(String text) {
        long expected = java.time.OffsetDateTime.parse(fix(text)).toInstant().toEpochMilli();

        assertThat(CloudTrailTimes.parseMillis(text)).isEqualTo(expected);
    }

    private static String fix(String text) {
        // java.time wants the offset with a colon.
        return text.matches(".*[+-]\\d{4}$")
                ? text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2)
                : text;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "2026-11-02",
                "2026-11-02 10:45:12Z",
                "2026-11-02T10:45:12",
                "2026-13-02T10:45:12Z",
                "2026-02-29T10:45:12Z",
                "2026-11-02T24:00:00Z",
                "2026-11-02T10:60:00Z",
                "2026-11-02T10:45:12.Z",
                "2026-11-02T10:45:12ZZ",
                "Jun 17, 2024, 3:20:00 PM",
                "1793613600"
            })
    void rejectsWhatIsNotAnIsoUtcTime(String text) {
        assertThat(CloudTrailTimes.parseMillis(text)).isEqualTo(CloudTrailTimes.INVALID);
    }

    @org.junit.jupiter.api.Test
    void theSampleHourStarts() {
        assertThat(CloudTrailTimes.parseMillis("2026-11-02T10:00:00Z"))
                .isEqualTo(Instant.parse("2026-11-02T10:00:00Z").toEpochMilli())
                .isEqualTo(1_793_613_600_000L);
    }
}
