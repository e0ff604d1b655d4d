package io.flowtrail.config;

import static io.flowtrail.config.Flows.T0;
import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.VPC;
import static io.flowtrail.config.TestNetwork.inbound;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowRecord;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * A replay's chained configuration join, shipped inside the job (Java-serialized like any Flink
 * function), gives each flow the verdict of the version in force at its start, exactly as the
 * broadcast join does.
 */
class KnownConfigJoinTest {
    static final long HOUR_BEFORE = T0.minus(Duration.ofHours(1)).toEpochMilli();
    static final long AFTER_FIRST_PROBE = T0.plus(Duration.ofMinutes(1)).toEpochMilli();

    static FlowRecord sshProbe(long startMillis) {
        FlowRecord r = flow().from(CLIENT).to(A, 22).syn().ingress().rejected().record();
        r.start = startMillis / 1000;
        r.end = r.start + 5;
        return r;
    }

    @Test
    void eachFlowGetsTheVersionInForceAtItsStartAfterTheJobIsShipped() throws Exception {
        ConfigTimeline timeline =
                ConfigTimeline.of(
                        List.of(
                                TestNetwork.standard().snapshot(HOUR_BEFORE),
                                TestNetwork.standard()
                                        .customNacl(
                                                "acl-0web",
                                                SUBNET_A,
                                                inbound(90).deny().tcp(22).from(ANYWHERE))
                                        .snapshot(AFTER_FIRST_PROBE)));
        KnownConfigJoin join = InstantiationUtil.clone(new KnownConfigJoin(timeline));
        join.open(DefaultOpenContext.INSTANCE);

        FlowRecord before = join.map(sshProbe(T0.toEpochMilli()));
        FlowRecord after = join.map(sshProbe(T0.plus(Duration.ofMinutes(2)).toEpochMilli()));

        FlowEnricher reference = new FlowEnricher(timeline);
        assertThat(before)
                .usingRecursiveComparison()
                .isEqualTo(reference.enrich(sshProbe(T0.toEpochMilli())));
        assertThat(before.vpcId).isEqualTo(VPC);
        assertThat(before.attribution).startsWith("sg:");
        assertThat(after.attribution).isEqualTo("nacl:acl-0web#90");
        assertThat(after.configSince).isEqualTo(AFTER_FIRST_PROBE);
    }

    /**
     * The kind of interface and the version's start come from the version in force at each flow's
     * start, also when the same interface id (the same string instance, as the parser hands it out)
     * comes again under another version.
     */
    @Test
    void theInterfaceKindFollowsTheVersionInForce() throws Exception {
        ConfigTimeline timeline =
                ConfigTimeline.of(
                        List.of(
                                TestNetwork.standard().snapshot(HOUR_BEFORE),
                                TestNetwork.standard()
                                        .networkInterface(
                                                TestNetwork.ENI_A,
                                                SUBNET_A,
                                                VPC,
                                                "nat_gateway",
                                                List.of(A))
                                        .snapshot(AFTER_FIRST_PROBE)));
        FlowEnricher enricher = new FlowEnricher(timeline);

        FlowRecord early = enricher.enrich(sshProbe(HOUR_BEFORE - 60_000));
        FlowRecord instance = enricher.enrich(sshProbe(T0.toEpochMilli()));
        FlowRecord managed =
                enricher.enrich(sshProbe(T0.plus(Duration.ofMinutes(2)).toEpochMilli()));
        FlowRecord instanceAgain = enricher.enrich(sshProbe(T0.toEpochMilli()));

        assertThat(early.interfaceKind).isEqualTo(FlowRecord.INTERFACE_UNKNOWN);
        assertThat(instance.interfaceKind).isEqualTo(FlowRecord.INTERFACE_INSTANCE);
        assertThat(instance.configSince).isEqualTo(HOUR_BEFORE);
        assertThat(managed.interfaceKind).isEqualTo(FlowRecord.INTERFACE_MANAGED);
        assertThat(managed.configSince).isEqualTo(AFTER_FIRST_PROBE);
        assertThat(instanceAgain.interfaceKind).isEqualTo(FlowRecord.INTERFACE_INSTANCE);
    }
}
