package io.flowtrail.detect.egress;

/**
 * One reading task's egress of one interface in one window: what crosses the shuffle to the {@link
 * EgressDetector}. A Flink POJO.
 */
public class EgressPartial {
    public String interfaceId;
    public long windowStart;
    public EgressWindow window;

    public EgressPartial() {}

    public EgressPartial(String interfaceId, long windowStart, EgressWindow window) {
        this.interfaceId = interfaceId;
        this.windowStart = windowStart;
        this.window = window;
    }
}
