package io.flowtrail.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness emitted as soon as it moves, for any input: what {@link FlowWatermarks}
 * does for flow records, and for the same reason. A file is one split, and a small file (a
 * CloudTrail log file in a watched folder) is read in milliseconds: a generator that only emits on
 * Flink's periodic timer would see its split end before its first emission, and the watermark of a
 * watched folder would never move. Records with the timestamp {@code Long.MIN_VALUE} (dead letters)
 * move nothing.
 */
public final class EagerWatermarks<T> implements WatermarkGenerator<T> {
    private final long boundMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public EagerWatermarks(long boundMillis) {
        this.boundMillis = boundMillis;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) {
            maxTimestamp = eventTimestamp;
            long wm = maxTimestamp - boundMillis - 1;
            if (wm > emitted) {
                emitted = wm;
                output.emitWatermark(new Watermark(wm));
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (emitted != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(emitted));
        }
    }
}
