package io.flowtrail.job;

import io.flowtrail.model.FlowRecord;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness on the records' start times, emitted as soon as it moves (not only on
 * Flink's periodic timer). A flow-log object is one split of the file source and is often read in
 * milliseconds: a periodic-only generator would see its split end before its first emission, and a
 * watched folder's watermark would never move. Emitting on the event costs one comparison per
 * record. Dead letters have no event time and move nothing.
 */
public final class FlowWatermarks implements WatermarkGenerator<FlowRecord> {
    private final long boundMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public FlowWatermarks(long boundMillis) {
        this.boundMillis = boundMillis;
    }

    @Override
    public void onEvent(FlowRecord r, long eventTimestamp, WatermarkOutput output) {
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
