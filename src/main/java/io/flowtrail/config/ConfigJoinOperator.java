package io.flowtrail.config;

import io.flowtrail.model.FlowRecord;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Runs {@link ConfigJoin} with event time taken from the flows alone. Flink's broadcast operator
 * combines the watermarks of both inputs; here the configuration input never counts: it is idle
 * from the start and its watermarks are ignored. Otherwise a configuration source that has ended
 * (its watermark at the end of time) would, the moment the flows go quiet for the idleness timeout,
 * push every window and detector timer to the end of time; and one that has not sent a watermark
 * yet would hold the flows back. Configuration versions carry their own time.
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
        super.processWatermarkStatus(WatermarkStatus.IDLE, 1);
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
