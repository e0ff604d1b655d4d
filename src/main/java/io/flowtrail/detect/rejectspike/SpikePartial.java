package io.flowtrail.detect.rejectspike;

/**
 * One reading task's rejected flows of one key (interface, subnet or VPC) in one window: what
 * crosses the shuffle to the {@link RejectSpikeDetector}. A Flink POJO.
 */
public class SpikePartial {
    public String key;
    public long windowStart;
    public SpikeWindow window;

    public SpikePartial() {}

    public SpikePartial(String key, long windowStart, SpikeWindow window) {
        this.key = key;
        this.windowStart = windowStart;
        this.window = window;
    }
}
