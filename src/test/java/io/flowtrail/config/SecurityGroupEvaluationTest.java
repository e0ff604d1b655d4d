package io.flowtrail.config;

import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.A_V6;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.ENI_A;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.SUBNET_B;
import static io.flowtrail.config.TestNetwork.VPC;
import static io.flowtrail.config.TestNetwork.allTraffic;
import static io.flowtrail.config.TestNetwork.icmp;
import static io.flowtrail.config.TestNetwork.protocol;
import static io.flowtrail.config.TestNetwork.tcp;
import static io.flowtrail.config.TestNetwork.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.config.Verdict.Decision;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Security-group semantics: IPv6, prefix lists, referenced groups, unknown groups. */
class SecurityGroupEvaluationTest {
    private static Verdict evaluate(TestNetwork net, Flows flow) {
        return net.evaluator().evaluate(flow.record()).copy();
    }

    @Test
    void ipv6BlockRulesMatchIpv6PeersAndIpv4RulesDoNot() {
        TestNetwork net =
                TestNetwork.standard()
                        .group(
                                "sg-web",
                                tcp(443).from(ANYWHERE),
                                tcp(22).from("2001:db8:aaaa::/48"));

        Verdict ssh6 = evaluate(net, flow().from("2001:db8:aaaa::7").to(A_V6, 22).syn().ingress());
        Verdict https6 =
                evaluate(
                        net,
                        flow().from("2001:db8:bbbb::7").to(A_V6, 443).syn().ingress().rejected());

        assertThat(ssh6.decision()).isEqualTo(Decision.ALLOW);
        assertThat(ssh6.attribution()).isEqualTo("sg:sg-web/ingress/1");
        assertThat(https6.decision()).isEqualTo(Decision.DENY);
        assertThat(https6.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    void awsServicePrefixListAllowsEgressToTheServiceRanges() {
        TestNetwork net =
                TestNetwork.standard()
                        .awsServicePrefixList(
                                "pl-63a5400a",
                                "com.amazonaws.us-east-1.s3",
                                "52.216.0.0/15",
                                "3.5.0.0/19")
                        .group("sg-web", tcp(443).to("pl-63a5400a"));

        Verdict toS3 = evaluate(net, flow().from(A).to("52.217.3.4", 443).syn().egress());
        Verdict elsewhere =
                evaluate(net, flow().from(A).to("52.218.0.1", 443).syn().egress().rejected());

        assertThat(toS3.decision()).isEqualTo(Decision.ALLOW);
        assertThat(toS3.attribution()).isEqualTo("sg:sg-web/egress/0");
        assertThat(toS3.peerClass()).isEqualTo(Verdict.PeerClass.AWS_SERVICE);
        assertThat(elsewhere.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    void managedPrefixListUsesItsEntriesIncludingIpv6() {
        TestNetwork net =
                TestNetwork.standard()
                        .managedPrefixList(
                                "pl-0partners", "partners", "192.0.2.0/24", "2001:db8:77::/48")
                        .group("sg-web", tcp(443).from("pl-0partners"));

        assertThat(
                        evaluate(net, flow().from("2001:db8:77::1").to(A_V6, 443).syn().ingress())
                                .decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(
                        evaluate(net, flow().from("2001:db8:78::1").to(A_V6, 443).syn().ingress())
                                .decision())
                .isEqualTo(Decision.DENY);
    }

    @Test
    void aPrefixListThatIsNotInTheSnapshotMatchesNothing() {
        TestNetwork net = TestNetwork.standard().group("sg-web", tcp(443).from("pl-0missing"));
        Explanation trace = new Explanation();

        Verdict v =
                net.evaluator()
                        .evaluate(
                                flow().from(CLIENT).to(A, 443).syn().ingress().rejected().record(),
                                trace);

        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
        assertThat(trace.mentions("prefix list pl-0missing is not in the configuration")).isTrue();
    }

    @Test
    void selfReferenceAllowsTrafficAmongMembersOnly() {
        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface("eni-B", SUBNET_B, List.of("10.0.2.5"), "sg-web")
                        .networkInterface("eni-C", SUBNET_B, List.of("10.0.2.6"), "sg-other")
                        .group("sg-web", allTraffic().from("sg-web"))
                        .group("sg-other");

        assertThat(
                        evaluate(net, flow().udp().from("10.0.2.5", 40000).to(A, 8125).ingress())
                                .attribution())
                .isEqualTo("sg:sg-web/ingress/0");
        assertThat(
                        evaluate(net, flow().udp().from("10.0.2.6", 40000).to(A, 8125).ingress())
                                .decision())
                .isEqualTo(Decision.DENY);
    }

    @Test
    void referencedGroupMatchesSecondaryAndIpv6AddressesOfMembers() {
        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface(
                                "eni-APP",
                                SUBNET_B,
                                List.of("10.0.2.25", "10.0.2.125", "2001:db8:1234:a102::25"),
                                "sg-app")
                        .group("sg-app")
                        .group("sg-web", tcp(5432).from("sg-app"));

        assertThat(evaluate(net, flow().from("10.0.2.125").to(A, 5432).syn().ingress()).decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(
                        evaluate(
                                        net,
                                        flow().from("2001:db8:1234:a102::25")
                                                .to(A_V6, 5432)
                                                .syn()
                                                .ingress())
                                .decision())
                .isEqualTo(Decision.ALLOW);
    }

    /** vpc-0peer (10.1.0.0/16) holds eni-P with sg-0peer; sg-web references it across pcx-1. */
    private static TestNetwork peeredWorld(String peeringStatus) {
        return TestNetwork.standard()
                .vpc("vpc-0peer", "10.1.0.0/16")
                .subnet("subnet-0p", "vpc-0peer", "10.1.0.0/24")
                .networkInterface("eni-P", "subnet-0p", List.of("10.1.0.5"), "sg-0peer")
                .group("sg-0peer", "vpc-0peer")
                .peering("pcx-1", VPC, "10.0.0.0/16", "vpc-0peer", "10.1.0.0/16", peeringStatus)
                .group("sg-web", tcp(5432).from("sg-0peer").acrossPeering("vpc-0peer", "pcx-1"));
    }

    @Test
    void referencedGroupAcrossAnActivePeeringMatchesThePeerMembers() {
        Verdict v =
                evaluate(
                        peeredWorld("active"), flow().from("10.1.0.5").to(A, 5432).syn().ingress());

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("sg:sg-web/ingress/0");
        assertThat(v.peerClass()).isEqualTo(Verdict.PeerClass.PEERED_VPC);
    }

    @Test
    void referencedGroupAcrossADeletedPeeringMatchesNothing() {
        Verdict v =
                evaluate(
                        peeredWorld("deleted"),
                        flow().from("10.1.0.5").to(A, 5432).syn().ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    void sameAddressInAnUnpeeredVpcIsNotAMember() {
        TestNetwork net =
                TestNetwork.standard()
                        .vpc("vpc-0twin", "10.0.0.0/16")
                        .subnet("subnet-0t", "vpc-0twin", "10.0.2.0/24")
                        .networkInterface("eni-TWIN", "subnet-0t", List.of("10.0.2.25"), "sg-app")
                        .networkInterface("eni-LOCAL", SUBNET_B, List.of("10.0.2.25"), "sg-other")
                        .group("sg-app", "vpc-0twin")
                        .group("sg-other")
                        .group("sg-web", tcp(5432).from("sg-app"));

        Verdict v = evaluate(net, flow().from("10.0.2.25").to(A, 5432).syn().ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
    }

    @Test
    void otherProtocolRulesMatchTheProtocolOnly() {
        TestNetwork net =
                TestNetwork.standard().group("sg-web", protocol("50").from("203.0.113.0/24"));

        assertThat(
                        evaluate(net, flow().protocol(50).from("203.0.113.4", 0).to(A, 0).ingress())
                                .decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(
                        evaluate(net, flow().protocol(47).from("203.0.113.4", 0).to(A, 0).ingress())
                                .decision())
                .isEqualTo(Decision.DENY);
    }

    @Test
    void icmpRulesMatchPingOnTypeAndCodeSeparately() {
        Flows ping = flow().icmp().from(CLIENT).to(A).ingress();

        assertThat(
                        evaluate(
                                        TestNetwork.standard()
                                                .group("sg-web", icmp(3, -1).from(ANYWHERE)),
                                        ping)
                                .decision())
                .isEqualTo(Decision.DENY);
        assertThat(
                        evaluate(
                                        TestNetwork.standard()
                                                .group("sg-web", icmp(8, 0).from(ANYWHERE)),
                                        ping)
                                .decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(
                        evaluate(
                                        TestNetwork.standard()
                                                .group("sg-web", icmp(8, 1).from(ANYWHERE)),
                                        ping)
                                .decision())
                .isEqualTo(Decision.DENY);
        assertThat(
                        evaluate(
                                        TestNetwork.standard()
                                                .group("sg-web", icmp(-1, -1).from(ANYWHERE)),
                                        ping)
                                .decision())
                .isEqualTo(Decision.ALLOW);
    }

    @Test
    void udpRuleDoesNotAllowTcp() {
        TestNetwork net = TestNetwork.standard().group("sg-web", udp(53).from(ANYWHERE));

        assertThat(evaluate(net, flow().udp().from(CLIENT, 40000).to(A, 53).ingress()).decision())
                .isEqualTo(Decision.ALLOW);
        assertThat(evaluate(net, flow().from(CLIENT, 40000).to(A, 53).syn().ingress()).decision())
                .isEqualTo(Decision.DENY);
    }

    @Test
    void aGroupMissingFromTheSnapshotMakesANonMatchUnknownNotADeny() {
        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface(ENI_A, SUBNET_A, List.of(A), "sg-web", "sg-gone")
                        .group("sg-web", tcp(443).from(ANYWHERE));
        Explanation trace = new Explanation();

        Verdict unknown =
                net.evaluator()
                        .evaluate(
                                flow().from(CLIENT).to(A, 22).syn().ingress().rejected().record(),
                                trace)
                        .copy();
        Verdict allowed = evaluate(net, flow().from(CLIENT).to(A, 443).syn().ingress());

        assertThat(unknown.decision()).isEqualTo(Decision.UNKNOWN);
        assertThat(unknown.attribution()).isEqualTo("unattributed");
        assertThat(trace.mentions("Not in the configuration: sg-gone")).isTrue();
        assertThat(allowed.decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void anInterfaceWithoutGroupsIsFilteredByItsAclOnly() {
        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface(
                                "eni-NAT", SUBNET_A, VPC, "natGateway", List.of("10.0.1.200"));

        Verdict v =
                evaluate(
                        net,
                        flow().on("eni-NAT")
                                .from("10.0.2.9", 40000)
                                .to("10.0.1.200", 443)
                                .packet("10.0.2.9", "203.0.113.5")
                                .syn()
                                .ingress());

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("nacl:acl-0default#100");
        assertThat(v.securityGroupIds()).isEmpty();
    }

    @Test
    void securityGroupRulesDocumentReplacesTheGroupsRulesAndNamesThemBySgrId() {
        TestNetwork net = TestNetwork.standard().group("sg-web", tcp(22).from(ANYWHERE));
        Map<String, String> documents = new TreeMap<>(net.documents());
        documents.put(
                "SecurityGroupRules",
                "{\"SecurityGroupRules\": [{\"SecurityGroupRuleId\": \"sgr-0443\", \"GroupId\": \"sg-web\","
                        + " \"GroupOwnerId\": \"111122223333\", \"IsEgress\": false, \"IpProtocol\": \"tcp\","
                        + " \"FromPort\": 443, \"ToPort\": 443, \"CidrIpv4\": \"0.0.0.0/0\"}]}");
        FlowEvaluator evaluator =
                new FlowEvaluator(
                        NetworkIndex.build(new ConfigSnapshot(Long.MIN_VALUE, "test", documents)));

        Verdict https =
                evaluator.evaluate(flow().from(CLIENT).to(A, 443).syn().ingress().record()).copy();
        Verdict ssh =
                evaluator.evaluate(flow().from(CLIENT).to(A, 22).syn().ingress().record()).copy();

        assertThat(https.attribution()).isEqualTo("sg:sgr-0443");
        assertThat(ssh.decision()).isEqualTo(Decision.DENY);
    }
}
