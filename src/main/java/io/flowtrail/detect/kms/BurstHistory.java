package io.flowtrail.detect.kms;

import io.flowtrail.detect.Baseline;

/**
 * A (key, principal) pair's history: the per-window baseline (windows without calls count as zeros)
 * and the largest window of each of the last few days, in a ring indexed by UTC day. A Flink POJO.
 */
public class BurstHistory {
    static final long DAY_MILLIS = 24 * 3600 * 1000L;

    public Baseline baseline = new Baseline();

    /** Ring of (day number, largest window that day); a day of {@code Long.MIN_VALUE} is unused. */
    public long[] peakDays;

    public long[] peakCalls;

    public BurstHistory() {}

    BurstHistory(int days) {
        peakDays = new long[days];
        peakCalls = new long[days];
        java.util.Arrays.fill(peakDays, Long.MIN_VALUE);
    }

    /** The largest window of the last {@code days} days up to {@code windowStart}'s day; or 0. */
    long peak(long windowStart) {
        long day = Math.floorDiv(windowStart, DAY_MILLIS);
        long peak = 0;
        for (int i = 0; i < peakDays.length; i++) {
            if (peakDays[i] != Long.MIN_VALUE
                    && peakDays[i] <= day
                    && peakDays[i] > day - peakDays.length) {
                peak = Math.max(peak, peakCalls[i]);
            }
        }
        return peak;
    }

    void addPeak(long windowStart, long calls) {
        long day = Math.floorDiv(windowStart, DAY_MILLIS);
        int slot = (int) Math.floorMod(day, (long) peakDays.length);
        if (peakDays[slot] != day) {
            peakDays[slot] = day;
            peakCalls[slot] = 0;
        }
        peakCalls[slot] = Math.max(peakCalls[slot], calls);
    }
}
