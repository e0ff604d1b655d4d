package io.flowtrail.config;

import static io.flowtrail.config.Flows.T0;
import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.ANYWHERE_V6;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.SUBNET_B;
import static io.flowtrail.config.TestNetwork.allTraffic;
import static io.flowtrail.config.TestNetwork.icmp;
import static io.flowtrail.config.TestNetwork.inbound;
import static io.flowtrail.config.TestNetwork.outbound;
import static io.flowtrail.config.TestNetwork.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.config.Verdict.Decision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The canonical situations of FORMATS.md §5 that security groups or network ACLs decide, one test
 * each, in the default world: {@code eni-A} (10.0.1.15) in subnet 10.0.1.0/24 of VPC 10.0.0.0/16
 * with {@code sg-web}, the default ACL allowing everything, the client 198.51.100.7:51000 on the
 * internet.
 *
 * <p>Situations that are about logging or routing, not a security-group or ACL decision, have no
 * evaluator test:
 *
 * <ul>
 *   <li>22: Amazon DNS (VPC+2) traffic is never logged and no ACL can block it: there is no record
 *       to evaluate.
 *   <li>23: instance metadata (169.254.169.254) is neither logged nor filtered: no record.
 *   <li>24: non-transitive peering is a routing matter (A's interface may log an egress ACCEPT);
 *       the evaluator does not route. The peer class of such a flow is {@code other-private}
 *       because C's block is not peered with A ({@code PeerClassTest} covers peer classes).
 *   <li>25: an overlapping peering cannot be created: {@code PostureChecksTest} raises {@code
 *       peering_cidr_overlap} for one that a document shows.
 *   <li>26: inter-Region peering cannot reference the peer's groups: AWS refuses such a rule, so no
 *       configuration holds one to evaluate.
 *   <li>30: a secondary address shows as the primary in {@code dstaddr}: a logging matter; {@code
 *       VerdictFieldsTest} checks that such records still evaluate as the interface's.
 * </ul>
 */
class CanonicalSituationsTest {
    private static final String INTERNET_SERVER = "203.0.113.10";

    private static Verdict evaluate(TestNetwork net, Flows flow) {
        return net.evaluator().evaluate(flow.record()).copy();
    }

    private static Verdict evaluate(TestNetwork net, Flows flow, Explanation trace) {
        return net.evaluator().evaluate(flow.record(), trace).copy();
    }

    @Test
    @DisplayName(
            "1: inbound SSH from the internet, sg-web allows 22 only from 10.0.0.0/8: rejected by the security group")
    void situation01_sshFromOutsideTheAllowedRangeIsRejectedBySecurityGroup() {
        TestNetwork net = TestNetwork.standard().group("sg-web", tcp(22).from("10.0.0.0/8"));

        Verdict v = evaluate(net, flow().from(CLIENT).to(A, 22).syn().ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    @DisplayName("2: ACL rule 100 denies 1.2.3.4, rule 200 allows all: rejected by ACL rule 100")
    void situation02_lowestNumberedDenyDecides() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", tcp(443).from(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).deny().allTraffic().from("1.2.3.4/32"),
                                inbound(200).allow().allTraffic().from(ANYWHERE));

        Verdict v = evaluate(net, flow().from("1.2.3.4").to(A, 443).syn().ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("nacl:acl-0web#100");
    }

    @Test
    @DisplayName(
            "3: ACL rule 100 allows all, rule 200 denies 1.2.3.4: accepted, rule 200 is never reached")
    void situation03_firstMatchWinsSoTheLaterDenyIsNeverReached() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", tcp(443).from(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().allTraffic().from(ANYWHERE),
                                inbound(200).deny().allTraffic().from("1.2.3.4/32"));
        Explanation trace = new Explanation();

        Verdict v = evaluate(net, flow().from("1.2.3.4").to(A, 443).syn().ingress(), trace);

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("sg:sg-web/ingress/0");
        assertThat(trace.mentions("#100 allow all traffic from 0.0.0.0/0 -- MATCHES")).isTrue();
        assertThat(trace.mentions("#200")).isFalse();
    }

    @Test
    @DisplayName(
            "4: request accepted, the response to the client's port 51000 rejected by the outbound ACL")
    void situation04_responseRejectedByOutboundAcl() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", tcp(80).from(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().allTraffic().from(ANYWHERE),
                                outbound(100).allow().tcp(80).to(ANYWHERE),
                                outbound(110).allow().tcp(443).to(ANYWHERE));

        Verdict request = evaluate(net, flow().from(CLIENT, 51000).to(A, 80).syn().ingress());
        Verdict response =
                evaluate(net, flow().from(A, 80).to(CLIENT, 51000).synAck().egress().rejected());

        assertThat(request.decision()).isEqualTo(Decision.ALLOW);
        assertThat(request.attribution()).isEqualTo("sg:sg-web/ingress/0");
        assertThat(response.decision()).isEqualTo(Decision.DENY);
        assertThat(response.response()).isTrue();
        assertThat(response.attribution()).isEqualTo("nacl:acl-0web#32767");
    }

    @Test
    @DisplayName(
            "5: outbound request accepted, its response to an ephemeral port rejected by the inbound ACL")
    void situation05_responseRejectedByInboundAclWithoutEphemeralRange() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", allTraffic().to(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                outbound(100).allow().tcp(443).to(ANYWHERE),
                                inbound(100).allow().tcp(22).from(ANYWHERE),
                                inbound(110).allow().tcp(443).from(ANYWHERE));

        Verdict request =
                evaluate(net, flow().from(A, 51000).to(INTERNET_SERVER, 443).syn().egress());
        Verdict response =
                evaluate(
                        net,
                        flow().from(INTERNET_SERVER, 443)
                                .to(A, 51000)
                                .synAck()
                                .ingress()
                                .rejected());

        assertThat(request.decision()).isEqualTo(Decision.ALLOW);
        assertThat(request.attribution()).isEqualTo("sg:sg-web/egress/0");
        assertThat(response.response()).isTrue();
        assertThat(response.attribution()).isEqualTo("nacl:acl-0web#32767");
    }

    /** sg-db on a database interface allows 5432 from members of sg-app. */
    private static TestNetwork databaseWorld() {
        return TestNetwork.standard()
                .networkInterface("eni-DB", SUBNET_A, List.of("10.0.1.30"), "sg-db")
                .networkInterface("eni-APP", SUBNET_B, List.of("10.0.2.25"), "sg-app")
                .networkInterface("eni-OTHER", SUBNET_B, List.of("10.0.2.26"), "sg-other")
                .group("sg-db", tcp(5432).from("sg-app"))
                .group("sg-app", allTraffic().to(ANYWHERE))
                .group("sg-other", allTraffic().to(ANYWHERE));
    }

    @Test
    @DisplayName(
            "6: sg-db allows 5432 from group sg-app; a member's private address connects: accepted")
    void situation06_referencedGroupMatchesMemberPrivateAddress() {
        Verdict v =
                evaluate(
                        databaseWorld(),
                        flow().on("eni-DB")
                                .from("10.0.2.25")
                                .to("10.0.1.30", 5432)
                                .syn()
                                .ingress());

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("sg:sg-db/ingress/0");
    }

    @Test
    @DisplayName(
            "7: a member of sg-app connects through the internet from its public IP: rejected by the security group")
    void situation07_referencedGroupDoesNotMatchPublicAddress() {
        Verdict v =
                evaluate(
                        databaseWorld(),
                        flow().on("eni-DB")
                                .from("203.0.113.50")
                                .to("10.0.1.30", 5432)
                                .syn()
                                .ingress()
                                .rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    @DisplayName("8: an interface without sg-app connects to 5432: rejected by the security group")
    void situation08_nonMemberIsRejected() {
        Verdict v =
                evaluate(
                        databaseWorld(),
                        flow().on("eni-DB")
                                .from("10.0.2.26")
                                .to("10.0.1.30", 5432)
                                .syn()
                                .ingress()
                                .rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    @DisplayName(
            "9: sg-a allows 22 from one address, sg-b from anywhere: the union allows the client")
    void situation09_unionOfAllGroupsMostPermissiveWins() {
        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface(TestNetwork.ENI_A, SUBNET_A, List.of(A), "sg-a", "sg-b")
                        .group("sg-a", tcp(22).from("203.0.113.1/32"))
                        .group("sg-b", tcp(22).from(ANYWHERE));

        Verdict v = evaluate(net, flow().from(CLIENT).to(A, 22).syn().ingress());

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("sg:sg-b/ingress/0");
        assertThat(v.securityGroupIds()).containsExactly("sg-a", "sg-b");
    }

    @Test
    @DisplayName("10: sg-web allows protocol -1 from 10.0.0.0/16: UDP 161 from 10.0.5.5 accepted")
    void situation10_protocolMinusOneAllowsEveryProtocolAndPort() {
        TestNetwork net = TestNetwork.standard().group("sg-web", allTraffic().from("10.0.0.0/16"));

        Verdict v = evaluate(net, flow().udp().from("10.0.5.5", 40000).to(A, 161).ingress());

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("sg:sg-web/ingress/0");
    }

    @Test
    @DisplayName(
            "11: ICMP echo allowed in, no egress rules: request and reply both accepted (ICMP is tracked)")
    void situation11_pingAndReplyAcceptedDespiteEmptyEgress() {
        TestNetwork net = TestNetwork.standard().group("sg-web", icmp(8, -1).from(ANYWHERE));

        Verdict request = evaluate(net, flow().icmp().from(CLIENT).to(A).ingress());
        Verdict reply = evaluate(net, flow().icmp().from(A).to(CLIENT).egress());

        assertThat(request.decision()).isEqualTo(Decision.ALLOW);
        assertThat(request.attribution()).isEqualTo("sg:sg-web/ingress/0");
        assertThat(reply.decision()).isEqualTo(Decision.ALLOW);
        assertThat(reply.response()).isTrue();
        assertThat(reply.attribution()).isEqualTo("sg:stateful-response");
    }

    @Test
    @DisplayName(
            "12: sg-web allows only ICMP type 3 code 4; a ping (type 8) is rejected by the security group")
    void situation12_pingDoesNotMatchFragmentationNeededRule() {
        TestNetwork net = TestNetwork.standard().group("sg-web", icmp(3, 4).from(ANYWHERE));

        Verdict v = evaluate(net, flow().icmp().from(CLIENT).to(A).ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    @DisplayName(
            "13: as 11 but the outbound ACL has no ICMP allow: request accepted, reply rejected by the outbound ACL")
    void situation13_pingReplyRejectedByOutboundAcl() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", icmp(8, -1).from(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().allTraffic().from(ANYWHERE),
                                outbound(100).allow().tcp(80).to(ANYWHERE),
                                outbound(110).allow().tcp(1024, 65535).to(ANYWHERE));

        Verdict request = evaluate(net, flow().icmp().from(CLIENT).to(A).ingress());
        Verdict reply = evaluate(net, flow().icmp().from(A).to(CLIENT).egress().rejected());

        assertThat(request.decision()).isEqualTo(Decision.ALLOW);
        assertThat(reply.response()).isTrue();
        assertThat(reply.decision()).isEqualTo(Decision.DENY);
        assertThat(reply.attribution()).isEqualTo("nacl:acl-0web#32767");
    }

    @Test
    @DisplayName(
            "14: a new custom ACL with no rules: everything crossing the subnet is rejected by the * entries")
    void situation14_newCustomAclDeniesEverythingWithStarEntries() {
        TestNetwork net =
                TestNetwork.standard()
                        .group(
                                "sg-web",
                                allTraffic().from(ANYWHERE),
                                allTraffic().from(ANYWHERE_V6),
                                allTraffic().to(ANYWHERE))
                        .customNacl("acl-0new", SUBNET_A);
        FlowEvaluator evaluator = net.evaluator();

        Verdict in4 =
                evaluator
                        .evaluate(
                                flow().from(CLIENT).to(A, 443).syn().ingress().rejected().record())
                        .copy();
        Verdict in6 =
                evaluator
                        .evaluate(
                                flow().from("2001:db8:ffff::10")
                                        .to(TestNetwork.A_V6, 443)
                                        .syn()
                                        .ingress()
                                        .rejected()
                                        .record())
                        .copy();
        Verdict out4 =
                evaluator
                        .evaluate(
                                flow().from(A)
                                        .to(INTERNET_SERVER, 443)
                                        .syn()
                                        .egress()
                                        .rejected()
                                        .record())
                        .copy();

        assertThat(in4.attribution()).isEqualTo("nacl:acl-0new#32767");
        assertThat(in6.attribution()).isEqualTo("nacl:acl-0new#32768");
        assertThat(out4.attribution()).isEqualTo("nacl:acl-0new#32767");
        assertThat(List.of(in4.decision(), in6.decision(), out4.decision()))
                .containsOnly(Decision.DENY);
    }

    @Test
    @DisplayName(
            "15: the ACL allows all IPv4 only; inbound IPv6 HTTPS is rejected by the IPv6 * entry 32768")
    void situation15_ipv4RulesNeverMatchIpv6() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", tcp(443).from(ANYWHERE_V6))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().allTraffic().from(ANYWHERE));

        Verdict v =
                evaluate(
                        net,
                        flow().from("2001:db8:ffff::10")
                                .to(TestNetwork.A_V6, 443)
                                .syn()
                                .ingress()
                                .rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("nacl:acl-0web#32768");
    }

    @Test
    @DisplayName(
            "16: within one subnet the ACL that denies the subnet's range is not evaluated: the security group accepts")
    void situation16_aclsDoNotApplyWithinASubnet() {
        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface("eni-B", SUBNET_A, List.of("10.0.1.40"), "sg-web")
                        .group("sg-web", tcp(8080).from("10.0.1.0/24"), allTraffic().to(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).deny().allTraffic().from("10.0.1.0/24"),
                                inbound(200).allow().allTraffic().from(ANYWHERE),
                                outbound(100).deny().allTraffic().to("10.0.1.0/24"),
                                outbound(200).allow().allTraffic().to(ANYWHERE));
        Explanation trace = new Explanation();

        Verdict v = evaluate(net, flow().from("10.0.1.40").to(A, 8080).syn().ingress(), trace);

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("sg:sg-web/ingress/0");
        assertThat(trace.mentions("network ACLs do not apply to traffic within a subnet")).isTrue();
    }

    @Test
    @DisplayName(
            "17: sg-web has no outbound rules; a new outbound HTTPS connection is rejected by the security group")
    void situation17_noEgressRulesRejectsNewOutboundConnection() {
        TestNetwork net = TestNetwork.standard().group("sg-web", tcp(22).from(ANYWHERE));

        Verdict v =
                evaluate(
                        net,
                        flow().from(A, 51000).to(INTERNET_SERVER, 443).syn().egress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.response()).isFalse();
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    @DisplayName("18: no outbound rules, inbound SSH allowed: the response leaves (stateful)")
    void situation18_responseAllowedWithoutEgressRules() {
        TestNetwork net = TestNetwork.standard().group("sg-web", tcp(22).from(ANYWHERE));

        Verdict request = evaluate(net, flow().from(CLIENT, 51000).to(A, 22).syn().ingress());
        Verdict response = evaluate(net, flow().from(A, 22).to(CLIENT, 51000).synAck().egress());

        assertThat(request.decision()).isEqualTo(Decision.ALLOW);
        assertThat(response.decision()).isEqualTo(Decision.ALLOW);
        assertThat(response.response()).isTrue();
        assertThat(response.attribution()).isEqualTo("sg:stateful-response");
    }

    @Test
    @DisplayName(
            "19: sg-web allows 443 from prefix list pl-x = {192.0.2.0/24}: 192.0.2.44 accepted, 192.0.3.1 rejected by the security group")
    void situation19_prefixListRule() {
        TestNetwork net =
                TestNetwork.standard()
                        .managedPrefixList("pl-0x", "partners", "192.0.2.0/24")
                        .group("sg-web", tcp(443).from("pl-0x"));
        FlowEvaluator evaluator = net.evaluator();

        Verdict inside =
                evaluator
                        .evaluate(flow().from("192.0.2.44").to(A, 443).syn().ingress().record())
                        .copy();
        Verdict outside =
                evaluator
                        .evaluate(
                                flow().from("192.0.3.1")
                                        .to(A, 443)
                                        .syn()
                                        .ingress()
                                        .rejected()
                                        .record())
                        .copy();

        assertThat(inside.decision()).isEqualTo(Decision.ALLOW);
        assertThat(inside.attribution()).isEqualTo("sg:sg-web/ingress/0");
        assertThat(outside.decision()).isEqualTo(Decision.DENY);
        assertThat(outside.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    @DisplayName("20: the ACL allows TCP 80 only; inbound UDP 80 falls to the * entry")
    void situation20_protocolMismatchFallsToStar() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", allTraffic().from(ANYWHERE))
                        .customNacl(
                                "acl-0web", SUBNET_A, inbound(100).allow().tcp(80).from(ANYWHERE));

        Verdict v = evaluate(net, flow().udp().from(CLIENT, 51000).to(A, 80).ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("nacl:acl-0web#32767");
    }

    @Test
    @DisplayName(
            "21: a REJECT with reject-reason BPA is attributed to Block Public Access, not to a rule")
    void situation21_blockPublicAccess() {
        TestNetwork net = TestNetwork.standard().group("sg-web", tcp(443).from(ANYWHERE));

        Verdict v =
                evaluate(
                        net,
                        flow().from(CLIENT)
                                .to(A, 443)
                                .syn()
                                .ingress()
                                .rejected()
                                .rejectReason("BPA"));

        assertThat(v.attribution()).isEqualTo("bpa");
        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    @DisplayName(
            "27: after the narrow SSH rule is deleted, a new connection is rejected by the security group; before, the same flow was allowed")
    void situation27_newConnectionsRejectedAfterTheRuleIsDeleted() {
        TestNetwork before = TestNetwork.standard().group("sg-web", tcp(22).from("203.0.113.1/32"));
        TestNetwork after = TestNetwork.standard().group("sg-web");
        ConfigTimeline timeline =
                ConfigTimeline.of(
                        List.of(
                                before.snapshot(T0.toEpochMilli()),
                                after.snapshot(T0.plus(Duration.ofMinutes(30)).toEpochMilli())));
        FlowEvaluator evaluator = FlowEvaluator.over(timeline);

        Verdict early =
                evaluator
                        .evaluate(
                                flow().from("203.0.113.1")
                                        .to(A, 22)
                                        .syn()
                                        .ingress()
                                        .at(T0.plusSeconds(60))
                                        .record())
                        .copy();
        Verdict late =
                evaluator
                        .evaluate(
                                flow().from("203.0.113.1")
                                        .to(A, 22)
                                        .syn()
                                        .ingress()
                                        .rejected()
                                        .at(T0.plus(Duration.ofMinutes(40)))
                                        .record())
                        .copy();

        assertThat(early.decision()).isEqualTo(Decision.ALLOW);
        assertThat(late.decision()).isEqualTo(Decision.DENY);
        assertThat(late.attribution()).isEqualTo("sg:no-matching-rule");
        // The already established session keeps working (it is tracked): its ACCEPT records after
        // the deletion evaluate to DENY, because connection tracking over time is not modelled.
    }

    @Test
    @DisplayName(
            "28: an untracked session's packets after its inbound rule is deleted are rejected by the security group")
    void situation28_untrackedSessionPacketsRejectedAfterRuleDeletion() {
        TestNetwork after = TestNetwork.standard().group("sg-web", allTraffic().to(ANYWHERE));

        Verdict v =
                evaluate(after, flow().from(CLIENT, 51000).to(A, 22).flags(0).ingress().rejected());

        assertThat(v.response()).isFalse();
        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    @DisplayName(
            "29: ACL rule 90 denies TCP 3389 before rule 100 allows 1024-65535: RDP rejected by rule 90")
    void situation29_denyPlacedBeforeWideAllow() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-web", tcp(3389).from(ANYWHERE))
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(90).deny().tcp(3389).from(ANYWHERE),
                                inbound(100).allow().tcp(1024, 65535).from(ANYWHERE));

        Verdict v = evaluate(net, flow().from(CLIENT).to(A, 3389).syn().ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("nacl:acl-0web#90");
    }
}
