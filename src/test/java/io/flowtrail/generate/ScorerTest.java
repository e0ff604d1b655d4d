package io.flowtrail.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matching alerts to labels: category, time and entity (or a related key) must all agree. */
class ScorerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    Labels labels() throws Exception {
        String json =
                """
                {"counts": {"flow_records": 2000000, "incident_records": 1000},
                 "incidents": [
                  {"id": "scan", "category": "port_scan", "detector": "vertical_port_scan",
                   "entity_type": "src_addr", "entity": "203.0.113.10",
                   "related": ["eni-0aaa", "10.20.0.24"],
                   "window_start": "2026-11-02T01:00:00Z", "window_end": "2026-11-02T01:05:00Z"},
                  {"id": "spike", "category": "rejected_traffic_spike", "detector": "reject_spike",
                   "entity_type": "interface_id", "entity": "eni-0bbb",
                   "related": ["subnet-0ccc", "vpc-0ddd"],
                   "window_start": "2026-11-02T04:30:00Z", "window_end": "2026-11-02T04:40:00Z"},
                  {"id": "open", "category": "config_posture", "detector": "sg_open_admin_port",
                   "entity_type": "group_id", "entity": "sg-0eee", "related": [],
                   "window_start": "2026-11-02T09:48:00Z", "window_end": "2026-11-02T09:48:00Z"},
                  {"id": "kms", "category": "anomalous_key_usage", "detector": "access_denied_burst",
                   "entity_type": "principal_arn", "entity": "arn:aws:iam::111122223333:user/dev",
                   "related": [],
                   "window_start": "2026-11-02T10:00:00Z", "window_end": "2026-11-02T10:05:00Z"}
                 ]}
                """;
        Path file = dir.resolve("labels.json");
        Files.writeString(file, json);
        return Labels.read(file);
    }

    static String alert(String category, String start, String end, String rest) {
        return "{\"category\": \""
                + category
                + "\", \"detector\": \"d\", \"window_start\": \""
                + start
                + "\", \"window_end\": \""
                + end
                + "\", "
                + rest
                + "}";
    }

    Scorer.Result score(String... alerts) throws Exception {
        Path file = dir.resolve("alerts.jsonl");
        Files.writeString(file, String.join("\n", alerts));
        return Scorer.score(labels(), Scorer.readAlerts(file));
    }

    @Test
    void anAlertMatchesByItsColumnsTitleOrEvidence() throws Exception {
        Scorer.Result r =
                score(
                        alert(
                                "port_scan",
                                "2026-11-02T01:00:00Z",
                                "2026-11-02T01:05:00Z",
                                "\"src_addr\": \"203.0.113.10\", \"title\": \"scan\""),
                        // A subnet-level spike names its key only in the title: related key.
                        alert(
                                "rejected_traffic_spike",
                                "2026-11-02T04:35:00Z",
                                "2026-11-02T04:40:00Z",
                                "\"title\": \"Rejected traffic spike on subnet subnet-0ccc: 400\""),
                        alert(
                                "config_posture",
                                "2026-11-02T09:48:00Z",
                                "2026-11-02T09:48:00Z",
                                "\"evidence\": {\"group_id\": \"sg-0eee\"}"));

        assertThat(r.rows())
                .extracting(Scorer.Row::category, Scorer.Row::labels, Scorer.Row::detected)
                .startsWith(
                        org.assertj.core.groups.Tuple.tuple("port_scan", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("rejected_traffic_spike", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("unexpected_egress", 0, 0),
                        org.assertj.core.groups.Tuple.tuple("config_posture", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("anomalous_key_usage", 1, 0));
        assertThat(r.total().truePositives()).isEqualTo(3);
        assertThat(r.falseAlerts()).isEmpty();
        assertThat(r.missed()).extracting(Labels.Label::id).containsExactly("kms");
        assertThat(Scorer.markdown(r))
                .contains("| port_scan | 1 | 1 | 1.00 | 1 | 1 | 0 | 1.00 |")
                .contains("anomalous_key_usage: no alert of this category");
    }

    @Test
    void theWrongTimeEntityOrCategoryIsAFalseAlarm() throws Exception {
        Scorer.Result r =
                score(
                        alert( // the window after the scan
                                "port_scan",
                                "2026-11-02T01:05:00Z",
                                "2026-11-02T01:10:00Z",
                                "\"src_addr\": \"203.0.113.10\""),
                        alert( // another source; 203.0.113.1 is a prefix of the entity, not it
                                "port_scan",
                                "2026-11-02T01:00:00Z",
                                "2026-11-02T01:05:00Z",
                                "\"src_addr\": \"203.0.113.1\""),
                        alert( // the right entity under another category
                                "unexpected_egress",
                                "2026-11-02T04:30:00Z",
                                "2026-11-02T04:35:00Z",
                                "\"interface_id\": \"eni-0bbb\""),
                        alert( // a posture finding of another snapshot
                                "config_posture",
                                "2026-11-02T09:50:00Z",
                                "2026-11-02T09:50:00Z",
                                "\"evidence\": {\"group_id\": \"sg-0eee\"}"));

        assertThat(r.total().truePositives()).isZero();
        assertThat(r.falseAlerts()).hasSize(4);
        assertThat(r.falseAlertsPerMillionBenign()).isEqualTo(4e6 / 1_999_000);
        assertThat(r.rows().get(0).precision()).isZero();
    }

    @Test
    void alertsOfTheSameIncidentAllCount() throws Exception {
        Scorer.Result r =
                score(
                        alert(
                                "rejected_traffic_spike",
                                "2026-11-02T04:30:00Z",
                                "2026-11-02T04:35:00Z",
                                "\"interface_id\": \"eni-0bbb\""),
                        alert(
                                "rejected_traffic_spike",
                                "2026-11-02T04:30:00Z",
                                "2026-11-02T04:35:00Z",
                                "\"title\": \"Rejected traffic spike on VPC vpc-0ddd: 829\""));
        Scorer.Row spike = r.rows().get(1);
        assertThat(List.of(spike.labels(), spike.detected(), spike.alerts(), spike.truePositives()))
                .containsExactly(1, 1, 2, 2);
    }
}
