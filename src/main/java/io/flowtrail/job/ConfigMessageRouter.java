package io.flowtrail.job;

import io.flowtrail.config.ConfigMessage;
import io.flowtrail.model.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * First stop after the configuration topics: snapshot versions and the end-of-snapshots marker go
 * on to the join and the posture checks, unreadable messages to the dead letters (counted in the
 * metric {@code flowtrail_config_dead_letters}).
 */
public final class ConfigMessageRouter extends ProcessFunction<ConfigMessage, ConfigMessage> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("config-dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter dead;

    @Override
    public void open(OpenContext openContext) {
        dead = getRuntimeContext().getMetricGroup().counter("flowtrail_config_dead_letters");
    }

    @Override
    public void processElement(ConfigMessage m, Context ctx, Collector<ConfigMessage> out) {
        if (m.deadLetter != null) {
            dead.inc();
            ctx.output(DEAD_LETTERS, m.deadLetter);
        } else {
            out.collect(m);
        }
    }
}
