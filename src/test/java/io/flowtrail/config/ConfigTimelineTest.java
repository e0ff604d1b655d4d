package io.flowtrail.config;

import static io.flowtrail.config.Flows.T0;
import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.inbound;
import static io.flowtrail.config.TestNetwork.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowtrail.config.Verdict.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Snapshots as versions over time, layered, and the flow evaluated at its own start. */
class ConfigTimelineTest {
    private static final Instant T1 = T0.plus(Duration.ofHours(1));
    private static final Instant T2 = T0.plus(Duration.ofHours(2));

    private static final TestNetwork SSH_OPEN =
            TestNetwork.standard().group("sg-web", tcp(22).from(ANYWHERE));
    private static final TestNetwork SSH_CLOSED =
            TestNetwork.standard().group("sg-web", tcp(443).from(ANYWHERE));

    @Test
    void theSameFlowAtTwoTimesGetsTwoVerdicts() {
        ConfigTimeline timeline =
                ConfigTimeline.of(
                        List.of(
                                SSH_OPEN.snapshot(T0.toEpochMilli()),
                                SSH_CLOSED.snapshot(T1.toEpochMilli())));
        FlowEvaluator evaluator = FlowEvaluator.over(timeline);

        Verdict before =
                evaluator
                        .evaluate(
                                flow().from(CLIENT)
                                        .to(A, 22)
                                        .syn()
                                        .ingress()
                                        .rejected()
                                        .at(T0.plusSeconds(600))
                                        .record())
                        .copy();
        Verdict after =
                evaluator
                        .evaluate(
                                flow().from(CLIENT)
                                        .to(A, 22)
                                        .syn()
                                        .ingress()
                                        .rejected()
                                        .at(T1.plusSeconds(600))
                                        .record())
                        .copy();

        assertThat(before.decision()).isEqualTo(Decision.ALLOW);
        assertThat(before.attribution()).isEqualTo("unattributed");
        assertThat(after.decision()).isEqualTo(Decision.DENY);
        assertThat(after.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    void aSnapshotIsInForceFromItsInstantInclusive() {
        ConfigTimeline timeline =
                ConfigTimeline.of(
                        List.of(
                                SSH_OPEN.snapshot(T0.toEpochMilli()),
                                SSH_CLOSED.snapshot(T1.toEpochMilli())));

        assertThat(timeline.at(T1.toEpochMilli()).effectiveFromMillis())
                .isEqualTo(T1.toEpochMilli());
        assertThat(timeline.at(T1.toEpochMilli() - 1).effectiveFromMillis())
                .isEqualTo(T0.toEpochMilli());
        assertThat(timeline.at(T0.toEpochMilli() - 1)).isNull();
    }

    @Test
    void beforeTheFirstSnapshotAFlowIsUnknownAndUnattributed() {
        FlowEvaluator evaluator =
                FlowEvaluator.over(
                        ConfigTimeline.of(List.of(SSH_OPEN.snapshot(T1.toEpochMilli()))));

        Verdict v =
                evaluator.evaluate(
                        flow().from(CLIENT).to(A, 22).syn().ingress().rejected().at(T0).record());

        assertThat(v.decision()).isEqualTo(Decision.UNKNOWN);
        assertThat(v.attribution()).isEqualTo("unattributed");
    }

    @Test
    void aSnapshotWithOnlyAclsKeepsThePreviousSecurityGroups() {
        TestNetwork laterWorld =
                TestNetwork.standard()
                        .group("sg-web")
                        .customNacl(
                                "acl-0closed",
                                SUBNET_A,
                                inbound(100).deny().tcp(22).from("203.0.113.0/24"),
                                inbound(200).allow().allTraffic().from(ANYWHERE));
        ConfigTimeline timeline =
                ConfigTimeline.of(
                        List.of(
                                SSH_OPEN.snapshot(T0.toEpochMilli()),
                                laterWorld.partialSnapshot(T1.toEpochMilli(), "NetworkAcls")));
        FlowEvaluator evaluator = FlowEvaluator.over(timeline);

        Verdict client =
                evaluator
                        .evaluate(flow().from(CLIENT).to(A, 22).syn().ingress().at(T2).record())
                        .copy();
        Verdict blocked =
                evaluator
                        .evaluate(
                                flow().from("203.0.113.9")
                                        .to(A, 22)
                                        .syn()
                                        .ingress()
                                        .rejected()
                                        .at(T2)
                                        .record())
                        .copy();

        assertThat(timeline.at(T2.toEpochMilli()).documents().get("SecurityGroups"))
                .isEqualTo(SSH_OPEN.documents().get("SecurityGroups"));
        assertThat(client.decision()).isEqualTo(Decision.ALLOW);
        assertThat(client.attribution()).isEqualTo("sg:sg-web/ingress/0");
        assertThat(blocked.attribution()).isEqualTo("nacl:acl-0closed#100");
    }

    @Test
    void prefixListEntriesAreReplacedListByList() {
        TestNetwork first =
                TestNetwork.standard()
                        .managedPrefixList("pl-0a", "a", "192.0.2.0/24")
                        .managedPrefixList("pl-0b", "b", "198.51.100.0/24");
        TestNetwork second = TestNetwork.standard().prefixListEntries("pl-0a", "203.0.113.0/24");
        ConfigTimeline timeline =
                ConfigTimeline.of(
                        List.of(
                                first.snapshot(T0.toEpochMilli()),
                                second.partialSnapshot(
                                        T1.toEpochMilli(), "PrefixListEntries:pl-0a")));

        NetworkIndex index = timeline.indexAt(T1.toEpochMilli());

        assertThat(index.prefixListCidrs("pl-0a")).hasToString("[203.0.113.0/24]");
        assertThat(index.prefixListCidrs("pl-0b")).hasToString("[198.51.100.0/24]");
    }

    @Test
    void securityGroupRulesReplaceSecurityGroupsAsOneKind() {
        ConfigSnapshot rulesOnly =
                new ConfigSnapshot(
                        T1.toEpochMilli(),
                        "rules",
                        Map.of("SecurityGroupRules", "{\"SecurityGroupRules\": []}"));
        ConfigTimeline timeline =
                ConfigTimeline.of(List.of(SSH_OPEN.snapshot(T0.toEpochMilli()), rulesOnly));

        assertThat(timeline.at(T1.toEpochMilli()).documents())
                .containsKey("SecurityGroupRules")
                .doesNotContainKey("SecurityGroups");
    }

    @Test
    void aVersionAddedLaterIsLayeredInItsPlaceInTime() {
        ConfigTimeline timeline =
                ConfigTimeline.of(List.of(SSH_OPEN.snapshot(T0.toEpochMilli())))
                        .with(SSH_CLOSED.partialSnapshot(T2.toEpochMilli(), "SecurityGroups"))
                        .with(SSH_OPEN.partialSnapshot(T1.toEpochMilli(), "SecurityGroups"));

        assertThat(timeline.snapshots())
                .extracting(ConfigSnapshot::effectiveFromMillis)
                .containsExactly(T0.toEpochMilli(), T1.toEpochMilli(), T2.toEpochMilli());
        assertThat(timeline.at(T2.toEpochMilli()).documents()).containsKey("Vpcs");
        assertThat(timeline.at(T2.toEpochMilli()).documents().get("SecurityGroups"))
                .isEqualTo(SSH_CLOSED.documents().get("SecurityGroups"));
    }

    @Test
    void theIndexOfASnapshotIsBuiltOnce() {
        ConfigTimeline timeline = ConfigTimeline.of(List.of(SSH_OPEN.snapshot(T0.toEpochMilli())));

        assertThat(timeline.indexAt(T1.toEpochMilli()))
                .isSameAs(timeline.indexAt(T2.toEpochMilli()));
    }

    @Test
    void bytesRoundTrip() {
        ConfigSnapshot snapshot = SSH_OPEN.snapshot(T0.toEpochMilli());

        ConfigSnapshot back = ConfigSnapshot.fromBytes(snapshot.toBytes());

        assertThat(back).isEqualTo(snapshot);
        assertThat(back.documents()).isEqualTo(snapshot.documents());
        assertThat(back.source()).isEqualTo(snapshot.source());
        assertThat(
                        ConfigSnapshot.fromBytes(
                                        new ConfigSnapshot(Long.MIN_VALUE, "é", Map.of()).toBytes())
                                .effectiveFromMillis())
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void bytesThatAreNotASnapshotAreRefused() {
        assertThatThrownBy(() -> ConfigSnapshot.fromBytes(new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] truncated = SSH_OPEN.snapshot(T0.toEpochMilli()).toBytes();
        assertThatThrownBy(
                        () ->
                                ConfigSnapshot.fromBytes(
                                        java.util.Arrays.copyOf(truncated, truncated.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
