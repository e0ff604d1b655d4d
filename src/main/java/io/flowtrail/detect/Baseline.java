package io.flowtrail.detect;

/**
 * A per-key baseline of one number per window (rejected flows, bytes out): the count, mean and
 * variance of the windows seen since the key's first window, Welford-style, with the windows in
 * which the key had nothing counted as zeros. A Flink POJO kept in keyed state.
 *
 * <p>Cold start: until {@code warmUpWindows} windows have been seen, there is no baseline to
 * compare with; detectors then fire only on an absolute floor meant for that case.
 */
public class Baseline {
    /** Windows seen, zeros included. */
    public long windows;

    public double mean;

    /** Sum of squared differences from the mean (Welford's M2). */
    public double m2;

    /** Start of the last window added, epoch ms; {@code Long.MIN_VALUE} before the first. */
    public long lastWindowStart = Long.MIN_VALUE;

    public Baseline() {}

    public double stddev() {
        return windows < 2 ? 0 : Math.sqrt(m2 / (windows - 1));
    }

    /**
     * Adds zeros for the windows between the last one added and {@code windowStart} (at most {@code
     * maxGap} of them: a key quiet for longer starts over, see {@link #reset}).
     */
    public void catchUp(long windowStart, long windowMillis, long maxGapWindows) {
        if (lastWindowStart == Long.MIN_VALUE) {
            return;
        }
        long gap = (windowStart - lastWindowStart) / windowMillis - 1;
        if (gap > maxGapWindows) {
            reset();
            return;
        }
        for (long i = 0; i < gap; i++) {
            add(0);
        }
    }

    public void add(double x) {
        windows++;
        double delta = x - mean;
        mean += delta / windows;
        m2 += delta * (x - mean);
    }

    public void reset() {
        windows = 0;
        mean = 0;
        m2 = 0;
        lastWindowStart = Long.MIN_VALUE;
    }
}
