package io.flowtrail.detect;

import io.flowtrail.model.Alert;
import io.flowtrail.model.AlertIds;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every detector needs: window arithmetic, alert ids, severities. */
public final class DetectorSupport {
    private DetectorSupport() {}

    public static long windowStart(long epochMillis, long windowMillis) {
        return epochMillis - Math.floorMod(epochMillis, windowMillis);
    }

    /**
     * A new alert with its deterministic id: same category, detector, entity and window, same id.
     */
    public static Alert alert(
            String category, String detector, String entity, long windowStart, long windowEnd) {
        Alert a = new Alert();
        a.category = category;
        a.detector = detector;
        a.windowStart = windowStart;
        a.windowEnd = windowEnd;
        a.alertId = AlertIds.of(category, detector, entity, Long.toString(windowStart));
        return a;
    }

    /**
     * The severity for a magnitude: how many times over its threshold the observation is (5x: HIGH,
     * 2x: MEDIUM, else LOW). CRITICAL is kept for correlated incidents, where independent signals
     * agree.
     */
    public static String severity(double observed, double threshold) {
        double ratio = threshold <= 0 ? Double.POSITIVE_INFINITY : observed / threshold;
        if (ratio >= 5) {
            return "HIGH";
        }
        if (ratio >= 2) {
            return "MEDIUM";
        }
        return "LOW";
    }

    /**
     * A deterministic choice between a value kept and one seen now, whatever order records arrive
     * in (the smaller non-null one): an account id or region is the same in both execution modes
     * even when only some of a key's records carry it.
     */
    public static String pick(String kept, String seen) {
        if (kept == null) {
            return seen;
        }
        return seen != null && seen.compareTo(kept) < 0 ? seen : kept;
    }

    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /**
     * The name with the largest count among the first {@code size} of parallel arrays (ties: the
     * smallest name), or null when there are none: the evidence's "top" of a bounded counter.
     */
    public static String top(String[] names, long[] counts, int size) {
        int best = -1;
        for (int i = 0; i < size; i++) {
            if (best < 0
                    || counts[i] > counts[best]
                    || (counts[i] == counts[best] && names[i].compareTo(names[best]) < 0)) {
                best = i;
            }
        }
        return best < 0 ? null : names[best];
    }

    /** The first {@code size} names and counts of parallel arrays, in their order. */
    public static Map<String, Long> asMap(String[] names, long[] counts, int size) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(names[i], counts[i]);
        }
        return m;
    }
}
