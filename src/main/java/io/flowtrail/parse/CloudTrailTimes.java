package io.flowtrail.parse;

/**
 * Parses CloudTrail's {@code eventTime}: ISO-8601 UTC, {@code 2026-11-02T10:45:12Z}, with optional
 * fractional seconds (1 to 9 digits, kept to the millisecond) and, leniently, a numeric offset
 * ({@code +00:00}, {@code +0000}) instead of {@code Z}. Straight from the characters: no {@code
 * String}, no {@code java.time} objects per record.
 */
public final class CloudTrailTimes {
    /** What {@link #parseMillis} returns for text that is not such a time. */
    public static final long INVALID = Long.MIN_VALUE;

    private CloudTrailTimes() {}

    public static long parseMillis(CharSequence text) {
        char[] c = text.toString().toCharArray();
        return parseMillis(c, 0, c.length);
    }

    /** Epoch milliseconds, or {@link #INVALID}. */
    public static long parseMillis(char[] c, int off, int len) {
        if (len < 20) {
            return INVALID;
        }
        int end = off + len;
        int year = digits(c, off, 4);
        int month = digits(c, off + 5, 2);
        int day = digits(c, off + 8, 2);
        int hour = digits(c, off + 11, 2);
        int minute = digits(c, off + 14, 2);
        int second = digits(c, off + 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > daysInMonth(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || c[off + 4] != '-'
                || c[off + 7] != '-'
                || (c[off + 10] != 'T' && c[off + 10] != 't')
                || c[off + 13] != ':'
                || c[off + 16] != ':') {
            return INVALID;
        }
        int i = off + 19;
        int millis = 0;
        if (c[i] == '.') {
            i++;
            int n = 0;
            while (i < end && c[i] >= '0' && c[i] <= '9') {
                if (n < 3) {
                    millis = millis * 10 + (c[i] - '0');
                }
                n++;
                i++;
            }
            if (n == 0 || n > 9) {
                return INVALID;
            }
            for (; n < 3; n++) {
                millis *= 10;
            }
        }
        if (i >= end) {
            return INVALID;
        }
        int offsetMinutes;
        char z = c[i];
        if ((z == 'Z' || z == 'z') && i + 1 == end) {
            offsetMinutes = 0;
        } else if ((z == '+' || z == '-') && (end - i == 6 || end - i == 5)) {
            int oh = digits(c, i + 1, 2);
            int om = end - i == 6 && c[i + 3] == ':' ? digits(c, i + 4, 2) : digits(c, i + 3, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59 || (end - i == 6 && c[i + 3] != ':')) {
                return INVALID;
            }
            offsetMinutes = (oh * 60 + om) * (z == '-' ? -1 : 1);
        } else {
            return INVALID;
        }
        long days = daysFromCivil(year, month, day);
        long seconds = days * 86_400L + hour * 3600L + minute * 60L + second - offsetMinutes * 60L;
        return seconds * 1000L + millis;
    }

    private static int digits(char[] c, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char ch = c[i];
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int mp = (month + 9) % 12;
        int doy = (153 * mp + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }
}
