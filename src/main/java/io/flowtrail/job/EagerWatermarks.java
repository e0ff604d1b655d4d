package io.flowtrail.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness emitted as soon as it moves (not only on Flink's periodic timer), for
 * flow records and CloudTrail events alike. A file is one split of a file source, and a flow-log
 * object or a CloudTrail log file is often read in milliseconds: a periodic-only generator would
 * see its split end before its first emission, and a watched folder's watermark would never move.
 * Emitting on the event costs one comparison per record. Records with the timestamp {@code
 * Long.MIN_VALUE} (dead letters) move nothing.
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
