package io.flowtrail.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowtrail.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} then {@code replay} of what it wrote, as the quality bench runs them (small):
 * the replay reads every record, and every labelled flow-log and configuration incident comes out
 * as an alert of its category on its entity and time.
 */
class GenerateReplayITCase {
    @TempDir static Path dir;

    static int generateExit;
    static int replayExit;
    static String replayOut;
    static Scorer.Result score;

    @BeforeAll
    static void generateAndReplay() {
        Path input = dir.resolve("input");
        Path alerts = dir.resolve("alerts.jsonl");
        StringWriter err = new StringWriter();
        generateExit =
                Main.run(
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true),
                        "generate",
                        "--out",
                        input.toString(),
                        "--records",
                        "30000",
                        "--interfaces",
                        "80",
                        "--hours",
                        "3",
                        "--seed",
                        "11");
        StringWriter out = new StringWriter();
        replayExit =
                Main.run(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        "replay",
                        input.toString(),
                        "--out",
                        dir.resolve("out").toString(),
                        "--alerts-jsonl",
                        alerts.toString(),
                        "--quiet");
        replayOut = out.toString();
        assertThat(err.toString()).doesNotContain("failed");
        score = Scorer.score(Labels.read(input.resolve(Labels.FILE)), Scorer.readAlerts(alerts));
    }

    @Test
    void bothCommandsSucceedAndTheReplayReadsEveryRecord() {
        assertThat(generateExit).isZero();
        assertThat(replayExit).isZero();
        assertThat(replayOut)
                .contains(String.format("records read        %,12d", 30_000))
                .contains("dead letters                   0")
                .contains("counts close                 yes");
    }

    @Test
    void everyFlowAndConfigurationIncidentIsDetected() {
        assertThat(score.rows())
                .filteredOn(r -> !needsCloudTrail(r.category()))
                .extracting(Scorer.Row::category, Scorer.Row::labels, Scorer.Row::detected)
                .containsExactly(
                        tuple("port_scan", 2, 2),
                        tuple("rejected_traffic_spike", 1, 1),
                        tuple("unexpected_egress", 3, 3),
                        tuple("config_posture", 5, 5));
    }

    /** Categories whose alerts come from CloudTrail, which replay does not read yet. */
    static boolean needsCloudTrail(String category) {
        return category.equals("anomalous_key_usage") || category.equals("correlated_incident");
    }
}
