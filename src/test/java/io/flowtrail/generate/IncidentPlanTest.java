package io.flowtrail.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --incidents}: names, repetitions, times, and the errors that name the bad item. */
class IncidentPlanTest {
    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");

    static GeneratorOptions hours(int h) {
        GeneratorOptions o = new GeneratorOptions();
        o.out = Path.of("unused");
        o.start = T0;
        o.hours = h;
        return o;
    }

    static List<Incident> plan(String list, int hours) {
        return IncidentPlan.parse(list, hours(hours)).incidents;
    }

    @Test
    void allIsOneOfEachSpreadFromTheEndOfWarmUpToTheEnd() {
        List<Incident> all = plan("all", 24);

        assertThat(all).extracting(i -> i.kind).containsExactlyInAnyOrder(IncidentKind.values());
        assertThat(all)
                .allSatisfy(
                        i -> {
                            assertThat(i.windowStart)
                                    .isGreaterThanOrEqualTo(T0.getEpochSecond() + 3600);
                            assertThat(i.windowEnd())
                                    .isLessThanOrEqualTo(T0.getEpochSecond() + 24 * 3600);
                            assertThat(i.windowStart % 300).isZero();
                        });
        // Spread out: no two incidents in the same window.
        assertThat(all.stream().map(i -> i.windowStart).distinct().count()).isEqualTo(all.size());
    }

    @Test
    void aCategoryNamesItsDetectorsAndStarRepeats() {
        assertThat(plan("port_scan*2", 24))
                .extracting(i -> i.kind.detector() + "#" + i.index)
                .containsExactlyInAnyOrder(
                        "vertical_port_scan#0",
                        "vertical_port_scan#1",
                        "horizontal_port_scan#0",
                        "horizontal_port_scan#1");
        assertThat(plan("config", 24))
                .hasSize(5)
                .allMatch(i -> i.kind.category.equals("config_posture"));
        assertThat(plan("none", 24)).isEmpty();
    }

    @Test
    void anExplicitTimeIsAnOffsetOrAnInstantAndRepetitionsAreHalfAnHourApart() {
        List<Incident> scans = plan("vertical_port_scan*2@+1h30m", 24);
        assertThat(scans)
                .extracting(i -> Instant.ofEpochSecond(i.windowStart))
                .containsExactly(T0.plusSeconds(5400), T0.plusSeconds(7200));
        assertThat(plan("reject_spike@2026-11-02T10:22:00Z", 24))
                .singleElement()
                .satisfies(
                        i ->
                                assertThat(Instant.ofEpochSecond(i.windowStart))
                                        .isEqualTo(Instant.parse("2026-11-02T10:20:00Z")));
    }

    @Test
    void badItemsAreNamed() {
        assertThatThrownBy(() -> plan("port_scans", 24))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'port_scans'")
                .hasMessageContaining("vertical_port_scan");
        assertThatThrownBy(() -> plan("reject_spike@yesterday", 24)).hasMessageContaining("@TIME");
        assertThatThrownBy(() -> plan("reject_spike@+30h", 24)).hasMessageContaining("outside");
        assertThatThrownBy(() -> plan("all", 1)).hasMessageContaining("--hours 2");
    }
}
