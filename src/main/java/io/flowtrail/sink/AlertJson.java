package io.flowtrail.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.model.Alert;
import java.time.Instant;

/**
 * An alert as one line of JSON: the {@code alerts} table's columns by name (times as ISO-8601 UTC),
 * with {@code evidence} as a JSON object. What {@code --alerts-jsonl} writes and the alerts topic
 * carries (keyed by {@code alert_id}).
 */
public final class AlertJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() {}

    public static String of(Alert a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("alert_id", a.alertId);
        n.put("category", a.category);
        n.put("detector", a.detector);
        n.put("severity", a.severity);
        n.put("window_start", Instant.ofEpochMilli(a.windowStart).toString());
        n.put("window_end", Instant.ofEpochMilli(a.windowEnd).toString());
        text(n, "account_id", a.accountId);
        text(n, "region", a.region);
        text(n, "interface_id", a.interfaceId);
        text(n, "src_addr", a.srcAddr);
        text(n, "dst_addr", a.dstAddr);
        if (a.dstPort != Alert.NO_PORT) {
            n.put("dst_port", a.dstPort);
        } else {
            n.putNull("dst_port");
        }
        text(n, "principal_arn", a.principalArn);
        text(n, "key_arn", a.keyArn);
        number(n, "observed", a.observed);
        number(n, "expected", a.expected);
        text(n, "title", a.title);
        JsonNode evidence;
        try {
            evidence = a.evidence == null ? null : JSON.readTree(a.evidence);
        } catch (Exception e) {
            evidence = null;
        }
        if (evidence != null) {
            n.set("evidence", evidence);
        } else {
            text(n, "evidence", a.evidence);
        }
        return n.toString();
    }

    private static void text(ObjectNode n, String key, String value) {
        if (value == null) {
            n.putNull(key);
        } else {
            n.put(key, value);
        }
    }

    private static void number(ObjectNode n, String key, double value) {
        if (Double.isNaN(value)) {
            n.putNull(key);
        } else {
            n.put(key, value);
        }
    }
}
