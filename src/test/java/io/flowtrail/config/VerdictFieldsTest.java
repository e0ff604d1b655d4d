package io.flowtrail.config;

import static io.flowtrail.config.Flows.flow;
import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.A_SECONDARY;
import static io.flowtrail.config.TestNetwork.CLIENT;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.SUBNET_B;
import static io.flowtrail.config.TestNetwork.VPC;
import static io.flowtrail.config.TestNetwork.allTraffic;
import static io.flowtrail.config.TestNetwork.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.config.Verdict.Decision;
import io.flowtrail.config.Verdict.PeerClass;
import io.flowtrail.model.FlowRecord;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Direction, peer class, VPC and subnet fill-in, unknown interfaces, and the verdict's reuse. */
class VerdictFieldsTest {
    private static final TestNetwork NET =
            TestNetwork.standard()
                    .group("sg-web", tcp(443).from(ANYWHERE), allTraffic().to(ANYWHERE))
                    .networkInterface("eni-B", SUBNET_B, List.of("10.0.2.5"), "sg-web")
                    .vpc("vpc-0peer", "10.1.0.0/16")
                    .peering("pcx-1", VPC, "10.0.0.0/16", "vpc-0peer", "10.1.0.0/16", "active")
                    .awsServicePrefixList(
                            "pl-63a5400a", "com.amazonaws.us-east-1.s3", "52.216.0.0/15")
                    .managedPrefixList("pl-0partners", "partners", "192.0.2.0/24")
                    .networkInterface(
                            "eni-KMS",
                            SUBNET_B,
                            VPC,
                            "vpc_endpoint",
                            List.of("10.0.2.77"),
                            "sg-web")
                    .interfaceEndpoint("vpce-0kms", VPC, "com.amazonaws.us-east-1.kms", "eni-KMS");

    private static Verdict evaluate(Flows flow) {
        return NET.evaluator().evaluate(flow.record()).copy();
    }

    @Nested
    class Direction {
        @Test
        void theRecordsFlowDirectionWins() {
            assertThat(evaluate(flow().from(A).to(CLIENT, 443).ingress()).direction())
                    .isEqualTo(FlowRecord.DIRECTION_INGRESS);
        }

        @Test
        void withoutFlowDirectionASourceOfTheInterfaceIsEgress() {
            Verdict v = evaluate(flow().from(A).to(CLIENT, 443).syn());

            assertThat(v.direction()).isEqualTo(FlowRecord.DIRECTION_EGRESS);
            assertThat(v.directionName()).isEqualTo("egress");
        }

        @Test
        void withoutFlowDirectionADestinationOfTheInterfaceIsIngress() {
            assertThat(evaluate(flow().from(CLIENT).to(A_SECONDARY, 443).syn()).direction())
                    .isEqualTo(FlowRecord.DIRECTION_INGRESS);
        }

        @Test
        void neitherAddressOfTheInterfaceIsUnknownAndUnattributed() {
            Verdict v = evaluate(flow().from(CLIENT).to("203.0.113.1", 443).syn().rejected());

            assertThat(v.direction()).isEqualTo(FlowRecord.DIRECTION_UNKNOWN);
            assertThat(v.decision()).isEqualTo(Decision.UNKNOWN);
            assertThat(v.attribution()).isEqualTo("unattributed");
        }

        @Test
        void situation30_aSecondaryAddressShownAsThePrimaryStillEvaluatesAtTheInterface() {
            Verdict v = evaluate(flow().from(CLIENT).to(A, 443).packet(CLIENT, A_SECONDARY).syn());

            assertThat(v.direction()).isEqualTo(FlowRecord.DIRECTION_INGRESS);
            assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        }
    }

    @Nested
    class Peer {
        @Test
        void sameVpc() {
            assertThat(evaluate(flow().from("10.0.2.5").to(A, 443).ingress()).peerClass())
                    .isEqualTo(PeerClass.SAME_VPC);
        }

        @Test
        void peeredVpc() {
            assertThat(evaluate(flow().from("10.1.3.3").to(A, 443).ingress()).peerClass())
                    .isEqualTo(PeerClass.PEERED_VPC);
        }

        @Test
        void awsServiceFromTheFlowLogsServiceField() {
            assertThat(
                            evaluate(
                                            flow().from(A)
                                                    .to("13.32.0.9", 443)
                                                    .dstAwsService("CLOUDFRONT")
                                                    .egress())
                                    .peerClass())
                    .isEqualTo(PeerClass.AWS_SERVICE);
        }

        @Test
        void awsServiceFromAnAwsPrefixListButNotFromACustomerList() {
            assertThat(evaluate(flow().from(A).to("52.216.1.1", 443).egress()).peerClass())
                    .isEqualTo(PeerClass.AWS_SERVICE);
            assertThat(evaluate(flow().from(A).to("192.0.2.9", 443).egress()).peerClass())
                    .isEqualTo(PeerClass.INTERNET);
        }

        @Test
        void awsServiceForAVpcEndpointInterface() {
            assertThat(evaluate(flow().from(A).to("10.0.2.77", 443).egress()).peerClass())
                    .isEqualTo(PeerClass.AWS_SERVICE);
        }

        @Test
        void internet() {
            assertThat(evaluate(flow().from(CLIENT).to(A, 443).ingress()).peerClass())
                    .isEqualTo(PeerClass.INTERNET);
        }

        @Test
        void otherPrivateOutsideTheVpcAndItsPeerings() {
            assertThat(evaluate(flow().from("192.168.4.4").to(A, 443).ingress()).peerClass())
                    .isEqualTo(PeerClass.OTHER_PRIVATE);
            assertThat(evaluate(flow().from("10.9.0.1").to(A, 443).ingress()).peerClass())
                    .isEqualTo(PeerClass.OTHER_PRIVATE);
        }

        @Test
        void unknownForAnInterfaceNotInTheConfiguration() {
            assertThat(
                            evaluate(flow().on("eni-nowhere").from(CLIENT).to(A, 443).ingress())
                                    .peerClass())
                    .isEqualTo(PeerClass.UNKNOWN);
        }
    }

    @Test
    void vpcSubnetAndGroupsComeFromTheConfiguration() {
        Verdict v = evaluate(flow().from(CLIENT).to(A, 443).ingress());

        assertThat(v.vpcId()).isEqualTo(VPC);
        assertThat(v.subnetId()).isEqualTo(SUBNET_A);
        assertThat(v.securityGroupIds()).containsExactly("sg-web");
    }

    @Test
    void anUnknownInterfaceKeepsTheRecordsVpcAndSubnetAndIsUnattributed() {
        Verdict v =
                evaluate(
                        flow().on("eni-nowhere")
                                .from(CLIENT)
                                .to(A, 443)
                                .ingress()
                                .rejected()
                                .vpc("vpc-x", "subnet-x"));

        assertThat(v.decision()).isEqualTo(Decision.UNKNOWN);
        assertThat(v.attribution()).isEqualTo("unattributed");
        assertThat(v.vpcId()).isEqualTo("vpc-x");
        assertThat(v.subnetId()).isEqualTo("subnet-x");
        assertThat(v.direction()).isEqualTo(FlowRecord.DIRECTION_INGRESS);
        assertThat(v.securityGroupIds()).isEmpty();
    }

    @Test
    void anAcceptedFlowTheConfigurationDeniesNamesTheDenyingRule() {
        Verdict v = evaluate(flow().from(CLIENT).to(A, 22).syn().ingress().accepted());

        assertThat(v.decision()).isEqualTo(Decision.DENY);
        assertThat(v.attribution()).isEqualTo("sg:no-matching-rule");
    }

    @Test
    void aRejectedFlowTheConfigurationAllowsIsUnattributed() {
        Verdict v = evaluate(flow().from(CLIENT).to(A, 443).syn().ingress().rejected());

        assertThat(v.decision()).isEqualTo(Decision.ALLOW);
        assertThat(v.attribution()).isEqualTo("unattributed");
    }

    @Test
    void theVerdictIsReusedAndACopyIsIndependent() {
        FlowEvaluator evaluator = NET.evaluator();

        Verdict first = evaluator.evaluate(flow().from(CLIENT).to(A, 443).ingress().record());
        Verdict kept = first.copy();
        Verdict second = evaluator.evaluate(flow().from(CLIENT).to(A, 22).syn().ingress().record());

        assertThat(second).isSameAs(first);
        assertThat(kept.decision()).isEqualTo(Decision.ALLOW);
        assertThat(second.decision()).isEqualTo(Decision.DENY);
    }

    @Test
    void attributionLabelsAreSharedStringsNotBuiltPerFlow() {
        FlowEvaluator evaluator = NET.evaluator();

        String once =
                evaluator.evaluate(flow().from(CLIENT).to(A, 443).ingress().record()).attribution();
        String again =
                evaluator
                        .evaluate(flow().from("203.0.113.3").to(A, 443).ingress().record())
                        .attribution();

        assertThat(again).isEqualTo("sg:sg-web/ingress/0").isSameAs(once);
    }
}
