package io.flowtrail.config;

import io.flowtrail.model.FlowRecord;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs {@link ConfigJoin} with event time taken from the flows alone. Flink's broadcast operator
 * combines the watermarks of both inputs; here the configuration input never counts: it is idle
 * from the start and its watermarks are ignored. Otherwise a configuration source that has ended
 * (its watermark at the end of time) would, the moment the flows go quiet for the idleness timeout,
 * push every window and detector timer to the end of time; and one that has not sent a watermark
 * yet would hold the flows back. Configuration versions carry their own time.
 *
 * <p>One exception: while flows wait for the end of the snapshots known at start ({@link
 * ConfigJoin}), their watermark waits too, and is passed on once the waiting flows have been
 * evaluated and sent. Otherwise a configuration source slower to start than the flows' would make
 * the first windows close without the flows that waited, which would then arrive late.
 */
public final class ConfigJoinOperator
        extends CoBroadcastWithNonKeyedOperator<FlowRecord, ConfigMessage, FlowRecord> {
    private static final long serialVersionUID = 1L;

    public ConfigJoinOperator(ConfigJoin join) {
        super(join, List.of(ConfigDescriptors.VERSIONS, ConfigDescriptors.STATUS));
    }

    @Override
    public void open() throws Exception {
        super.open();
        held = Long.MIN_VALUE; // transient: not restored by the operator's deserialization
        super.processWatermarkStatus(WatermarkStatus.IDLE, 1);
    }

    /** The flows' watermark held back while flows wait for configuration; MIN_VALUE for none. */
    private transient long held;

    private ConfigJoin join() {
        return (ConfigJoin) userFunction;
    }

    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        if (join().waitingForConfig()) {
            held = Math.max(held, mark.getTimestamp());
            return;
        }
        super.processWatermark1(mark);
    }

    @Override
    public void processElement2(StreamRecord<ConfigMessage> element) throws Exception {
        super.processElement2(element);
        if (held != Long.MIN_VALUE && !join().waitingForConfig()) {
            long release = held;
            held = Long.MIN_VALUE;
            super.processWatermark1(new Watermark(release));
        }
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // Configuration does not move event time.
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 0) {
            super.processWatermarkStatus(status, index);
        }
    }
}
