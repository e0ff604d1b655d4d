package io.flowtrail.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Map;

/** Builds the {@code evidence} JSON of an alert: compact, with keys in a stable order. */
public final class Evidence {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();

    public Evidence put(String key, String value) {
        root.put(key, value);
        return this;
    }

    public Evidence put(String key, long value) {
        root.put(key, value);
        return this;
    }

    public Evidence put(String key, double value) {
        root.put(key, Math.round(value * 1000) / 1000.0);
        return this;
    }

    public Evidence put(String key, boolean value) {
        root.put(key, value);
        return this;
    }

    public ObjectNode object(String key) {
        return root.putObject(key);
    }

    public ArrayNode array(String key) {
        return root.putArray(key);
    }

    /** The {@code limit} largest entries of a map of counts, largest first, ties by key. */
    public Evidence top(String key, Map<String, Long> counts, int limit) {
        ArrayNode a = root.putArray(key);
        counts.entrySet().stream()
                .sorted(
                        Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue())
                                .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .forEach(e -> a.addObject().put("value", e.getKey()).put("count", e.getValue()));
        return this;
    }

    public String json() {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
