package io.flowtrail.job;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.NetworkChangeEvent;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * First stop after the CloudTrail sources: counts every event, sends KMS events on, EC2 network
 * changes to their own output (for the correlations), and unreadable records to the dead letters.
 */
public final class CloudTrailRouter extends ProcessFunction<CloudTrailEvent, KmsEvent> {
    public static final OutputTag<NetworkChangeEvent> NETWORK_CHANGES =
            new OutputTag<>("network-changes", TypeInformation.of(NetworkChangeEvent.class));
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("cloudtrail-dead-letters", TypeInformation.of(DeadLetter.class));

    private transient LongCounter kms;
    private transient LongCounter changes;
    private transient LongCounter dead;

    @Override
    public void open(OpenContext openContext) {
        kms = counter(RunCounters.CLOUDTRAIL_KMS);
        changes = counter(RunCounters.CLOUDTRAIL_NETWORK_CHANGES);
        dead = counter(RunCounters.CLOUDTRAIL_DEAD);
    }

    private LongCounter counter(String name) {
        LongCounter c = new LongCounter();
        getRuntimeContext().addAccumulator(name, c);
        return c;
    }

    @Override
    public void processElement(CloudTrailEvent e, Context ctx, Collector<KmsEvent> out) {
        if (e.deadLetter != null) {
            dead.add(1);
            ctx.output(DEAD_LETTERS, e.deadLetter);
        } else if (e.kms != null) {
            kms.add(1);
            out.collect(e.kms);
        } else if (e.networkChange != null) {
            changes.add(1);
            ctx.output(NETWORK_CHANGES, e.networkChange);
        }
    }
}
