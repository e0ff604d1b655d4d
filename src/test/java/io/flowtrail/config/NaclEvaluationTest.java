package io.flowtrail.config;

import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.ANYWHERE_V6;
import static io.flowtrail.config.TestNetwork.A_V6;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.allTraffic;
import static io.flowtrail.config.TestNetwork.inbound;
import static io.flowtrail.config.TestNetwork.outbound;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.config.Verdict.Decision;
import org.junit.jupiter.api.Test;

/** Network-ACL semantics beyond the canonical situations. */
class NaclEvaluationTest {
    /** Security groups that allow everything, so that only the ACL decides. */
    private static TestNetwork openGroups() {
        return TestNetwork.standard()
                .group(
                        "sg-web",
                        allTraffic().from(ANYWHERE),
                        allTraffic().from(ANYWHERE_V6),
                        allTraffic().to(ANYWHERE),
                        allTraffic().to(ANYWHERE_V6));
    }

    private static Verdict evaluate(TestNetwork net, Flows flow) {
        return net.evaluator().evaluate(flow.record()).copy();
    }

    @Test
    void entriesAreEvaluatedByRuleNumberNotDocumentOrder() {
        TestNetwork net =
                openGroups()
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(300).allow().allTraffic().from(ANYWHERE),
                                inbound(200).deny().tcp(22).from(ANYWHERE),
                                inbound(100).allow().tcp(22).from("198.51.100.0/24"));

        Verdict fromAllowedRange = evaluate(net, flow().from(CLIENT).to(A, 22).syn().ingress());
        Verdict fromElsewhere =
                evaluate(net, flow().from("203.0.113.9").to(A, 22).syn().ingress().rejected());

        assertThat(fromAllowedRange.decision()).isEqualTo(Decision.ALLOW);
        assertThat(fromElsewhere.attribution()).isEqualTo("nacl:acl-0web#200");
    }

    @Test
    void ipv6EntriesNeverDecideIpv4FlowsAndTheReverse() {
        TestNetwork net =
                openGroups()
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(50).deny().allTraffic().from(ANYWHERE_V6),
                                inbound(100).allow().allTraffic().from(ANYWHERE));

        Verdict v4 = evaluate(net, flow().from(CLIENT).to(A, 443).syn().ingress());
        Verdict v6 =
                evaluate(
                        net,
                        flow().from("2001:db8:ffff::10").to(A_V6, 443).syn().ingress().rejected());

        assertThat(v4.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v6.attribution()).isEqualTo("nacl:acl-0web#50");
    }

    @Test
    void starEntriesAreAddedWhenTheDocumentOmitsThem() {
        TestNetwork net =
                openGroups()
                        .customNaclExactly(
                                "acl-0web", SUBNET_A, inbound(100).allow().tcp(443).from(ANYWHERE));
        Explanation trace = new Explanation();

        Verdict v4 =
                net.evaluator()
                        .evaluate(
                                flow().udp().from(CLIENT).to(A, 443).ingress().rejected().record(),
                                trace)
                        .copy();
        Verdict v6 =
                evaluate(
                        net,
                        flow().from("2001:db8:ffff::10").to(A_V6, 443).syn().ingress().rejected());
        Verdict out = evaluate(net, flow().from(A).to(CLIENT, 443).syn().egress().rejected());

        assertThat(v4.attribution()).isEqualTo("nacl:acl-0web#32767");
        assertThat(v6.attribution()).isEqualTo("nacl:acl-0web#32768");
        assertThat(out.attribution()).isEqualTo("nacl:acl-0web#32767");
        assertThat(trace.mentions("(implicit: not in the document)")).isTrue();
    }

    @Test
    void outboundEntriesMatchTheDestinationAndItsPort() {
        TestNetwork net =
                openGroups()
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().allTraffic().from(ANYWHERE),
                                outbound(100).deny().tcp(443).to("203.0.113.0/24"),
                                outbound(200).allow().allTraffic().to(ANYWHERE));

        Verdict blocked =
                evaluate(net, flow().from(A).to("203.0.113.10", 443).syn().egress().rejected());
        Verdict otherPort = evaluate(net, flow().from(A).to("203.0.113.10", 8443).syn().egress());
        Verdict otherHost = evaluate(net, flow().from(A).to("198.51.100.10", 443).syn().egress());

        assertThat(blocked.attribution()).isEqualTo("nacl:acl-0web#100");
        assertThat(otherPort.decision()).isEqualTo(Decision.ALLOW);
        assertThat(otherHost.decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void icmpEntriesMatchOnTypeAndCode() {
        TestNetwork net =
                openGroups()
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().icmp(8, 0).from(ANYWHERE),
                                inbound(110).allow().icmpv6(128, -1).from(ANYWHERE_V6));
        TestNetwork repliesOnly =
                openGroups()
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().icmp(0, -1).from(ANYWHERE));

        Verdict ping = evaluate(net, flow().icmp().from(CLIENT).to(A).ingress());
        Verdict ping6 = evaluate(net, flow().icmpv6().from("2001:db8:ffff::10").to(A_V6).ingress());
        Verdict pingWhereOnlyRepliesPass =
                evaluate(repliesOnly, flow().icmp().from(CLIENT).to(A).ingress().rejected());

        assertThat(ping.decision()).isEqualTo(Decision.ALLOW);
        assertThat(ping6.decision()).isEqualTo(Decision.ALLOW);
        assertThat(pingWhereOnlyRepliesPass.attribution()).isEqualTo("nacl:acl-0web#32767");
    }

    @Test
    void aSubnetWithoutExplicitAssociationUsesTheVpcDefaultAcl() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", allTraffic().from(ANYWHERE))
                        .customNacl(
                                "acl-0other",
                                TestNetwork.SUBNET_B,
                                inbound(100).deny().allTraffic().from(ANYWHERE));
        Explanation trace = new Explanation();

        Verdict v =
                net.evaluator()
                        .evaluate(flow().from(CLIENT).to(A, 443).syn().ingress().record(), trace);

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(trace.mentions("Network ACL acl-0default of subnet subnet-0a")).isTrue();
    }

    @Test
    void withoutAnyAclInTheSnapshotOnlySecurityGroupsDecide() {
        TestNetwork full = TestNetwork.standard().group("sg-web", allTraffic().from(ANYWHERE));
        ConfigSnapshot noAcls =
                full.partialSnapshot(
                        Long.MIN_VALUE, "Vpcs", "Subnets", "NetworkInterfaces", "SecurityGroups");
        Explanation trace = new Explanation();

        Verdict v =
                new FlowEvaluator(NetworkIndex.build(noAcls))
                        .evaluate(flow().from(CLIENT).to(A, 443).syn().ingress().record(), trace);

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(trace.mentions("Network ACL: none known for subnet subnet-0a")).isTrue();
    }

    @Test
    void portRangeBoundsAreInclusive() {
        TestNetwork net =
                openGroups()
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().tcp(1024, 65535).from(ANYWHERE));

        assertThat(
                        evaluate(net, flow().from(CLIENT, 443).to(A, 1024).flags(0).ingress())
                                .decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(
                        evaluate(net, flow().from(CLIENT, 443).to(A, 65535).flags(0).ingress())
                                .decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(
                        evaluate(
                                        net,
                                        flow().from(CLIENT, 443)
                                                .to(A, 1023)
                                                .flags(0)
                                                .ingress()
                                                .rejected())
                                .attribution())
                .isEqualTo("nacl:acl-0web#32767");
    }
}
