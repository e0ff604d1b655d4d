package io.flowtrail.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The small pieces the report's charts are made of: number, byte and UTC time formats, axis ticks,
 * a sparkline, colours, and XML escaping. Plain functions, so they are tested without a page.
 */
final class Charts {
    private Charts() {}

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** Time steps for buckets and axis ticks, smallest first. */
    static final long[] TIME_STEPS = {
        MINUTE,
        2 * MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        15 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        6 * HOUR,
        12 * HOUR,
        DAY,
        2 * DAY,
        7 * DAY
    };

    private static final DateTimeFormatter MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_CLOCK =
            DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
    static final String[] PALETTE = {
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"
    };

    static final String GREY = "#9a9a9a";

    // ---- numbers ----

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A unit for a byte axis whose largest value is {@code max}: decimal (kB = 1,000 bytes). */
    static ByteUnit byteUnit(double max) {
        if (max >= 1e12) {
            return new ByteUnit("TB", 1e12);
        }
        if (max >= 1e9) {
            return new ByteUnit("GB", 1e9);
        }
        if (max >= 1e6) {
            return new ByteUnit("MB", 1e6);
        }
        if (max >= 1e3) {
            return new ByteUnit("kB", 1e3);
        }
        return new ByteUnit("bytes", 1);
    }

    /** Bytes with three significant figures and their own unit: {@code 8.73 GB}. */
    static String bytes(double b) {
        ByteUnit u = byteUnit(b);
        return u.format(b) + " " + u.name;
    }

    record ByteUnit(String name, double divisor) {
        String format(double bytes) {
            double v = bytes / divisor;
            if (divisor == 1) {
                return String.format(Locale.ROOT, "%,.0f", v);
            }
            if (v < 10) {
                return String.format(Locale.ROOT, "%.2f", v);
            }
            if (v < 100) {
                return String.format(Locale.ROOT, "%.1f", v);
            }
            return String.format(Locale.ROOT, "%,.0f", v);
        }
    }

    // ---- times (always UTC) ----

    /** {@code 2026-11-02 10:40} (UTC). */
    static String utc(long millis) {
        return MINUTES.format(Instant.ofEpochMilli(millis));
    }

    static String date(long millis) {
        return DATE.format(Instant.ofEpochMilli(millis));
    }

    /** {@code 10:40} when the range lies within one UTC day, else {@code 11-02 10:40}. */
    static String tick(long millis, boolean oneDay) {
        return (oneDay ? CLOCK : DAY_CLOCK).format(Instant.ofEpochMilli(millis));
    }

    static boolean oneDay(long start, long end) {
        return Math.floorDiv(start, DAY) == Math.floorDiv(Math.max(start, end - 1), DAY);
    }

    /** {@code 2026-11-02T10:40:00Z}: what the page's JSON block uses. */
    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    /** {@code 5 minutes}, {@code 1 hour}, {@code 90 seconds}. */
    static String duration(long millis) {
        if (millis % DAY == 0) {
            return plural(millis / DAY, "day");
        }
        if (millis % HOUR == 0) {
            return plural(millis / HOUR, "hour");
        }
        if (millis % MINUTE == 0) {
            return plural(millis / MINUTE, "minute");
        }
        return plural(millis / 1000, "second");
    }

    /** {@code 5-minute}, {@code 1-hour}: as an adjective. */
    static String durationAdjective(long millis) {
        String d = duration(millis);
        String[] parts = d.split(" ");
        String unit =
                parts[1].endsWith("s") ? parts[1].substring(0, parts[1].length() - 1) : parts[1];
        return parts[0] + "-" + unit;
    }

    static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    // ---- axes ----

    /**
     * Ticks from 0 to at least {@code max}, about {@code target} of them, at 1, 2, 2.5 or 5 times a
     * power of ten; whole numbers when {@code integers}.
     */
    static List<Double> ticks(double max, int target, boolean integers) {
        double top = max > 0 ? max : 1;
        double raw = top / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * 10;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        if (integers) {
            step = Math.max(1, Math.ceil(step));
        }
        List<Double> ticks = new ArrayList<>();
        long n = (long) Math.ceil(top / step - 1e-9);
        for (long i = 0; i <= Math.max(1, n); i++) {
            ticks.add(i * step);
        }
        return ticks;
    }

    /** The smallest usual time step that puts at most {@code maxTicks} ticks on the range. */
    static long timeStep(long start, long end, int maxTicks) {
        long span = Math.max(1, end - start);
        for (long step : TIME_STEPS) {
            if (span / step <= maxTicks) {
                return step;
            }
        }
        return TIME_STEPS[TIME_STEPS.length - 1]
                * (span / (maxTicks * TIME_STEPS[TIME_STEPS.length - 1]) + 1);
    }

    /** Tick times: multiples of {@code step} (from the UTC epoch) within {@code [start, end]}. */
    static List<Long> timeTicks(long start, long end, long step) {
        List<Long> ticks = new ArrayList<>();
        for (long t = Math.floorDiv(start + step - 1, step) * step; t <= end; t += step) {
            ticks.add(t);
        }
        return ticks;
    }

    // ---- text ----

    private static final char[] BLOCKS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    /**
     * One character per value: a space for 0, else one of eight blocks, scaled to the largest value
     * and rounded up, so that any non-zero value shows.
     */
    static String sparkline(long[] values) {
        long max = 0;
        for (long v : values) {
            max = Math.max(max, v);
        }
        StringBuilder s = new StringBuilder();
        for (long v : values) {
            if (v <= 0) {
                s.append(' ');
            } else {
                int level = (int) Math.ceil(v * 8.0 / max) - 1;
                s.append(BLOCKS[Math.max(0, Math.min(7, level))]);
            }
        }
        return s.toString();
    }

    /** Text for HTML and SVG: element content and attribute values alike. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code 12.5}, {@code 3}: a coordinate for SVG, short and locale-independent. */
    static String num(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Text cut to {@code max} characters with an ellipsis. */
    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, Math.max(1, max - 1)) + "…";
    }

    /** The readable end of an ARN: {@code role/flowtrail-sample-web}, {@code key/6f1c2a9e-…}. */
    static String shortArn(String arn) {
        if (arn == null) {
            return null;
        }
        int colon = arn.lastIndexOf(':');
        return colon >= 0 && colon < arn.length() - 1 ? arn.substring(colon + 1) : arn;
    }
}
