package io.flowtrail.config;

import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.SUBNET_B;
import static io.flowtrail.config.TestNetwork.allTraffic;
import static io.flowtrail.config.TestNetwork.icmp;
import static io.flowtrail.config.TestNetwork.tcp;
import static io.flowtrail.config.TestNetwork.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.config.Verdict.Decision;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * How a record is read as a request or as the response of a connection (FlowEvaluator's class
 * comment): tcp-flags first, then the ports, and for ICMP the direction and the inbound rules. A
 * response is never blamed on a security group.
 */
class ResponseRecognitionTest {
    /** sg-web serves 443 and 8080, and has no outbound rules: a request out is denied by it. */
    private static final TestNetwork SERVER =
            TestNetwork.standard()
                    .group("sg-web", tcp(443).from(ANYWHERE), tcp(8080).from(ANYWHERE));

    private static Verdict evaluate(TestNetwork net, Flows flow) {
        return net.evaluator().evaluate(flow.record()).copy();
    }

    @Nested
    class ByTcpFlags {
        @Test
        void synAckIsAResponseWhateverThePorts() {
            Verdict v = evaluate(SERVER, flow().from(A, 51000).to(CLIENT, 52000).synAck().egress());

            assertThat(v.response()).isTrue();
            assertThat(v.attribution()).isEqualTo("sg:stateful-response");
        }

        @Test
        void synAckWithFinIsAResponse() {
            assertThat(
                            evaluate(
                                            SERVER,
                                            flow().from(A, 443)
                                                    .to(CLIENT, 51000)
                                                    .flags(19)
                                                    .egress())
                                    .response())
                    .isTrue();
        }

        @Test
        void synWithoutAckIsARequestEvenFromAServicePort() {
            Verdict v =
                    evaluate(
                            SERVER,
                            flow().from(A, 443).to(CLIENT, 51000).syn().egress().rejected());

            assertThat(v.response()).isFalse();
            assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
        }

        @Test
        void synWithFinIsARequest() {
            assertThat(
                            evaluate(
                                            SERVER,
                                            flow().from(A, 443).to(CLIENT, 51000).flags(3).egress())
                                    .response())
                    .isFalse();
        }

        @Test
        void flagsWithoutSynLetThePortsDecide() {
            assertThat(
                            evaluate(
                                            SERVER,
                                            flow().from(A, 443).to(CLIENT, 51000).flags(1).egress())
                                    .response())
                    .isTrue();
            assertThat(
                            evaluate(
                                            SERVER,
                                            flow().from(A, 51000).to(CLIENT, 443).flags(0).egress())
                                    .response())
                    .isFalse();
        }
    }

    @Nested
    class ByPorts {
        @Test
        void fromAServicePortBelow1024ToAnEphemeralPortIsAResponse() {
            Verdict v = evaluate(SERVER, flow().udp().from(A, 53).to(CLIENT, 41234).egress());

            assertThat(v.response()).isTrue();
            assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        }

        @Test
        void toAPortBelow1024IsARequest() {
            Verdict v =
                    evaluate(SERVER, flow().udp().from(A, 123).to(CLIENT, 123).egress().rejected());

            assertThat(v.response()).isFalse();
            assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
        }

        @Test
        void fromAPortTheSenderServesIsAResponse() {
            Verdict v = evaluate(SERVER, flow().from(A, 8080).to(CLIENT, 40000).egress());

            assertThat(v.response()).isTrue();
        }

        @Test
        void aWideInboundRangeDoesNotMakeAServedPort() {
            TestNetwork passiveFtp =
                    TestNetwork.standard().group("sg-web", tcp(1024, 65535).from(ANYWHERE));

            assertThat(
                            evaluate(passiveFtp, flow().from(A, 8080).to(CLIENT, 40000).egress())
                                    .response())
                    .isFalse();
        }

        @Test
        void toAPortTheReceiverServesIsARequest() {
            TestNetwork net =
                    TestNetwork.standard()
                            .networkInterface("eni-B", SUBNET_B, List.of("10.0.2.5"), "sg-b")
                            .group("sg-b", tcp(8443).from(ANYWHERE))
                            .group("sg-web", tcp(8080).from(ANYWHERE));

            Verdict v =
                    evaluate(net, flow().from(A, 8080).to("10.0.2.5", 8443).egress().rejected());

            assertThat(v.response()).isFalse();
            assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
        }

        @Test
        void aKnownPeerServingItsSourcePortMakesAnArrivingResponse() {
            TestNetwork net =
                    TestNetwork.standard()
                            .networkInterface("eni-B", SUBNET_B, List.of("10.0.2.5"), "sg-b")
                            .group("sg-b", tcp(8080).from("10.0.0.0/16"))
                            .group("sg-web", allTraffic().to(ANYWHERE));

            Verdict v =
                    evaluate(net, flow().from("10.0.2.5", 8080).to(A, 45000).flags(0).ingress());

            assertThat(v.response()).isTrue();
            assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        }

        @Test
        void betweenTwoEphemeralPortsIsARequest() {
            assertThat(
                            evaluate(
                                            SERVER,
                                            flow().udp()
                                                    .from(CLIENT, 40000)
                                                    .to(A, 50000)
                                                    .ingress()
                                                    .rejected())
                                    .response())
                    .isFalse();
        }
    }

    @Nested
    class Icmp {
        @Test
        void arrivingIcmpIsARequest() {
            TestNetwork net = TestNetwork.standard().group("sg-web", allTraffic().to(ANYWHERE));

            Verdict v = evaluate(net, flow().icmp().from(CLIENT).to(A).ingress().rejected());

            assertThat(v.response()).isFalse();
            assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
        }

        @Test
        void leavingIcmpIsAReplyWhenTheInboundRulesAdmitThePing() {
            TestNetwork net =
                    TestNetwork.standard().group("sg-web", icmp(-1, -1).from(CLIENT + "/32"));

            assertThat(evaluate(net, flow().icmp().from(A).to(CLIENT).egress()).response())
                    .isTrue();
        }

        @Test
        void leavingIcmpIsARequestWhenNothingPingedIn() {
            TestNetwork net = TestNetwork.standard().group("sg-web", allTraffic().to(ANYWHERE));

            Verdict v = evaluate(net, flow().icmp().from(A).to(CLIENT).egress());

            assertThat(v.response()).isFalse();
            assertThat(v.attribution()).isEqualTo("sg:sg-web/egress/0");
        }
    }

    @Test
    void aRejectedResponseThatTheAclsAllowIsUnattributedNeverBlamedOnTheSecurityGroup() {
        TestNetwork noEgress = TestNetwork.standard().group("sg-web", tcp(443).from(ANYWHERE));

        Verdict v =
                evaluate(
                        noEgress,
                        flow().from(A, 443).to(CLIENT, 51000).flags(4).egress().rejected());

        assertThat(v.response()).isTrue();
        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("unattributed");
    }

    @Test
    void aResponseWithinTheSubnetPassesEvenWhenTheAclDeniesEverything() {
        TestNetwork net =
                TestNetwork.standard()
                        .networkInterface("eni-B", SUBNET_A, List.of("10.0.1.40"), "sg-web")
                        .group("sg-web", udp(514).from("10.0.1.0/24"))
                        .customNacl("acl-0closed", SUBNET_A);

        assertThat(
                        evaluate(net, flow().udp().from(A, 514).to("10.0.1.40", 40000).egress())
                                .decision())
                .isEqualTo(Decision.ALLOW);
    }
}
