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

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The configuration join as the streaming job runs it: flows wait for the snapshots known at start
 * and their watermark waits with them; versions that arrive later join the timeline; two versions
 * with one time are laid one over the other; a restored join that had its snapshots does not wait
 * again.
 */
class ConfigJoinTest {
    static final long HOUR_BEFORE = T0.minus(Duration.ofHours(1)).toEpochMilli();
    static final long W1 = T0.plus(Duration.ofMinutes(10)).toEpochMilli();
    static final long W2 = T0.plus(Duration.ofMinutes(20)).toEpochMilli();

    TwoInputStreamOperatorTestHarness<FlowRecord, ConfigMessage, FlowRecord> harness;

    TwoInputStreamOperatorTestHarness<FlowRecord, ConfigMessage, FlowRecord> open(
            boolean waitForEnd, OperatorSubtaskState restored) throws Exception {
        harness =
                new TwoInputStreamOperatorTestHarness<>(
                        new ConfigJoinOperator(new ConfigJoin(waitForEnd, 1000)));
        harness.setup();
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
        return harness;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    static StreamRecord<FlowRecord> sshProbe() {
        FlowRecord r = flow().from(CLIENT).to(A, 22).syn().ingress().rejected().record();
        return new StreamRecord<>(r, r.startMillis());
    }

    static StreamRecord<ConfigMessage> config(ConfigMessage m) {
        return new StreamRecord<>(m);
    }

    /** What the join sent: flows and watermarks, in order. */
    List<Object> output() {
        List<Object> out = new ArrayList<>();
        for (Object o : harness.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add(r.getValue());
            } else if (o instanceof Watermark w) {
                out.add(w);
            }
        }
        harness.getOutput().clear();
        return out;
    }

    @Test
    void flowsWaitForTheSnapshotsKnownAtStartAndTheirWatermarkWaitsWithThem() throws Exception {
        open(true, null);

        harness.processElement1(sshProbe());
        harness.processWatermark1(new Watermark(W1));
        harness.processElement2(
                config(ConfigMessage.of(TestNetwork.standard().snapshot(HOUR_BEFORE))));

        assertThat(output()).as("nothing passes before the end of the snapshots").isEmpty();

        harness.processElement2(config(ConfigMessage.end()));

        List<Object> released = output();
        assertThat(released).hasSize(2);
        assertThat(((FlowRecord) released.get(0)).vpcId)
                .as("evaluated with the snapshot")
                .isEqualTo(VPC);
        assertThat(released.get(1)).as("then the watermark it held").isEqualTo(new Watermark(W1));

        harness.processWatermark1(new Watermark(W2));
        assertThat(output()).containsExactly(new Watermark(W2));
    }

    @Test
    void withoutTheMarkerToWaitForFlowsAndWatermarksPassAtOnce() throws Exception {
        open(false, null);

        harness.processElement1(sshProbe());
        harness.processWatermark1(new Watermark(W1));

        List<Object> out = output();
        assertThat(out).hasSize(2);
        assertThat(((FlowRecord) out.get(0)).vpcId).as("no configuration yet").isNull();
        assertThat(out.get(1)).isEqualTo(new Watermark(W1));
    }

    @Test
    void aSnapshotThatArrivesLaterJoinsTheTimelineForTheFlowsAfterIt() throws Exception {
        open(true, null);
        harness.processElement2(config(ConfigMessage.end()));

        harness.processElement1(sshProbe());
        harness.processElement2(
                config(ConfigMessage.of(TestNetwork.standard().snapshot(HOUR_BEFORE))));
        harness.processElement1(sshProbe());

        List<Object> out = output();
        assertThat(out).hasSize(2);
        assertThat(((FlowRecord) out.get(0)).vpcId).as("before the snapshot arrived").isNull();
        assertThat(((FlowRecord) out.get(1)).vpcId).as("after").isEqualTo(VPC);
    }

    /**
     * A topic may carry one snapshot as one message per document: the second message at the same
     * time replaces the kinds it holds (the ACLs) and keeps the first's (the interfaces), so the
     * deny entry of the second is found on the interface of the first.
     */
    @Test
    void twoVersionsAtOneTimeAreLaidOneOverTheOther() throws Exception {
        open(true, null);
        ConfigSnapshot everything = TestNetwork.standard().snapshot(HOUR_BEFORE);
        ConfigSnapshot denySsh =
                TestNetwork.standard()
                        .customNacl("acl-0web", SUBNET_A, inbound(90).deny().tcp(22).from(ANYWHERE))
                        .partialSnapshot(HOUR_BEFORE, "NetworkAcls");

        harness.processElement2(config(ConfigMessage.of(everything)));
        harness.processElement2(config(ConfigMessage.of(denySsh)));
        harness.processElement2(config(ConfigMessage.end()));
        harness.processElement1(sshProbe());

        FlowRecord r = (FlowRecord) output().get(0);
        assertThat(r.vpcId).isEqualTo(VPC);
        assertThat(r.attribution).isEqualTo("nacl:acl-0web#90");
    }

    @Test
    void aDeadLetterOnTheConfigurationStreamChangesNothing() throws Exception {
        open(true, null);

        harness.processElement2(
                config(
                        ConfigMessage.dead(
                                new DeadLetter(
                                        "config",
                                        "topic config partition 0 offset 3",
                                        "not valid JSON",
                                        "x",
                                        -1L,
                                        0L))));
        harness.processElement2(config(ConfigMessage.end()));
        harness.processElement1(sshProbe());

        assertThat(((FlowRecord) output().get(0)).vpcId).isNull();
    }

    @Test
    void aRestoredJoinThatHadItsSnapshotsDoesNotWaitAgain() throws Exception {
        open(true, null);
        harness.processElement2(
                config(ConfigMessage.of(TestNetwork.standard().snapshot(HOUR_BEFORE))));
        harness.processElement2(config(ConfigMessage.end()));
        OperatorSubtaskState state = harness.snapshot(1L, 1L);
        harness.close();

        open(true, state);
        harness.processWatermark1(new Watermark(W1));
        harness.processElement1(sshProbe());

        List<Object> out = output();
        assertThat(out.get(0)).as("the watermark is not held").isEqualTo(new Watermark(W1));
        assertThat(((FlowRecord) out.get(1)).vpcId).isEqualTo(VPC);
    }

    @Test
    void flowsThatWaitedAreRestoredAndStillWait() throws Exception {
        open(true, null);
        harness.processElement1(sshProbe());
        OperatorSubtaskState state = harness.snapshot(1L, 1L);
        harness.close();

        open(true, state);
        harness.processWatermark1(new Watermark(W1));
        assertThat(output()).isEmpty();
        harness.processElement2(
                config(ConfigMessage.of(TestNetwork.standard().snapshot(HOUR_BEFORE))));
        harness.processElement2(config(ConfigMessage.end()));

        List<Object> out = output();
        assertThat(out).hasSize(2);
        assertThat(((FlowRecord) out.get(0)).vpcId).isEqualTo(VPC);
        assertThat(out.get(1)).isEqualTo(new Watermark(W1));
    }
}
