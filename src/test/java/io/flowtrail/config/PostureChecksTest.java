package io.flowtrail.config;

import static io.flowtrail.config.Flows.T0;
import static io.flowtrail.config.TestNetwork.ANYWHERE;
import static io.flowtrail.config.TestNetwork.ANYWHERE_V6;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.VPC;
import static io.flowtrail.config.TestNetwork.allTraffic;
import static io.flowtrail.config.TestNetwork.inbound;
import static io.flowtrail.config.TestNetwork.outbound;
import static io.flowtrail.config.TestNetwork.tcp;
import static io.flowtrail.config.TestNetwork.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.model.Alert;
import io.flowtrail.model.AlertIds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration findings raised when a snapshot takes effect. */
class PostureChecksTest {
    private static final long TIME = T0.toEpochMilli();

    private static List<Alert> findings(TestNetwork net) {
        return PostureChecks.findings(net.index(), TIME);
    }

    private static JsonNode evidence(Alert a) throws Exception {
        return new ObjectMapper().readTree(a.evidence);
    }

    @Test
    void sshOpenToTheWorldFiresWithEveryAlertField() throws Exception {
        List<Alert> alerts =
                findings(TestNetwork.standard().group("sg-web", tcp(22).from(ANYWHERE)));

        assertThat(alerts)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.category).isEqualTo("config_posture");
                            assertThat(a.detector).isEqualTo("sg_open_admin_port");
                            assertThat(a.severity).isEqualTo("HIGH");
                            assertThat(a.alertId)
                                    .isEqualTo(
                                            AlertIds.of(
                                                    "config_posture",
                                                    "sg_open_admin_port",
                                                    "sg-web/ingress/0",
                                                    Long.toString(TIME)))
                                    .hasSize(32);
                            assertThat(a.windowStart).isEqualTo(TIME);
                            assertThat(a.windowEnd).isEqualTo(TIME);
                            assertThat(a.accountId).isEqualTo("111122223333");
                            assertThat(a.region).isNull();
                            assertThat(a.dstPort).isEqualTo(22);
                            assertThat(a.title)
                                    .isEqualTo(
                                            "Security group sg-web (web) opens SSH (22) to anywhere (0.0.0.0/0), rule sg-web/ingress/0");
                        });
        JsonNode e = evidence(alerts.get(0));
        assertThat(e.get("group_id").asText()).isEqualTo("sg-web");
        assertThat(e.get("rule").asText()).isEqualTo("sg-web/ingress/0");
        assertThat(e.get("open_to").toString()).isEqualTo("[\"0.0.0.0/0\"]");
        assertThat(e.get("admin_ports").toString()).isEqualTo("[22]");
    }

    @Test
    void quietOnARestrictedSshRuleAndOnOpenHttps() {
        assertThat(
                        findings(
                                TestNetwork.standard()
                                        .group(
                                                "sg-web",
                                                tcp(22).from("10.0.0.0/8"),
                                                tcp(443).from(ANYWHERE),
                                                tcp(443).from(ANYWHERE_V6))))
                .isEmpty();
    }

    @Test
    void rdpOverIpv6AndARangeCoveringBothAdminPorts() {
        List<Alert> alerts =
                findings(
                        TestNetwork.standard()
                                .group(
                                        "sg-web",
                                        udp(3389).from(ANYWHERE_V6),
                                        tcp(20, 4000).from(ANYWHERE)));

        assertThat(alerts)
                .extracting(a -> a.detector, a -> a.dstPort, a -> a.title)
                .containsExactly(
                        tuple(
                                "sg_open_admin_port",
                                3389,
                                "Security group sg-web (web) opens RDP (3389) to anywhere (::/0), rule sg-web/ingress/0"),
                        tuple(
                                "sg_open_admin_port",
                                22,
                                "Security group sg-web (web) opens SSH (22) and RDP (3389) to anywhere (0.0.0.0/0),"
                                        + " rule sg-web/ingress/1"));
    }

    @Test
    void allPortsOpenIsReportedOnceNotAlsoAsAnAdminPort() {
        List<Alert> alerts =
                findings(
                        TestNetwork.standard()
                                .group(
                                        "sg-web",
                                        allTraffic().from(ANYWHERE),
                                        tcp(0, 65535).from(ANYWHERE_V6)));

        assertThat(alerts)
                .extracting(a -> a.detector, a -> a.severity)
                .containsExactly(
                        tuple("sg_open_all_ports", "HIGH"), tuple("sg_open_all_ports", "HIGH"));
        assertThat(alerts.get(0).title)
                .isEqualTo(
                        "Security group sg-web (web) allows all traffic from anywhere (0.0.0.0/0), rule sg-web/ingress/0");
    }

    @Test
    void openEgressIsNotAFinding() {
        assertThat(findings(TestNetwork.standard().group("sg-web", allTraffic().to(ANYWHERE))))
                .isEmpty();
    }

    @Test
    void aShadowedAclEntryNamesTheEntryThatShadowsIt() throws Exception {
        List<Alert> alerts =
                findings(
                        TestNetwork.standard()
                                .customNacl(
                                        "acl-0web",
                                        SUBNET_A,
                                        inbound(100).allow().tcp(1024, 65535).from(ANYWHERE),
                                        inbound(110).deny().tcp(3389).from("198.51.100.0/24"),
                                        inbound(120).deny().tcp(443).from("198.51.100.0/24"),
                                        outbound(100).allow().allTraffic().to(ANYWHERE)));

        assertThat(alerts)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.detector).isEqualTo("nacl_shadowed_rule");
                            assertThat(a.severity).isEqualTo("LOW");
                            assertThat(a.alertId)
                                    .isEqualTo(
                                            AlertIds.of(
                                                    "config_posture",
                                                    "nacl_shadowed_rule",
                                                    "acl-0web/inbound/#110",
                                                    Long.toString(TIME)));
                            assertThat(a.title)
                                    .isEqualTo(
                                            "Network ACL acl-0web inbound entry #110 (deny TCP port 3389 from 198.51.100.0/24) never"
                                                    + " matches: entry #100 (allow TCP ports 1024-65535 from 0.0.0.0/0) comes first and covers it");
                        });
        JsonNode e = evidence(alerts.get(0));
        assertThat(e.get("rule").asInt()).isEqualTo(110);
        assertThat(e.get("shadowed_by").asInt()).isEqualTo(100);
        assertThat(e.get("network_acl_id").asText()).isEqualTo("acl-0web");
    }

    @Test
    void theStarEntriesBehindAnAllowAllAreNotReported() {
        assertThat(findings(TestNetwork.standard())).isEmpty();
    }

    @Test
    void anIcmpEntryIsShadowedOnlyByAnEntryCoveringItsType() {
        TestNetwork net =
                TestNetwork.standard()
                        .customNacl(
                                "acl-0web",
                                SUBNET_A,
                                inbound(100).allow().icmp(8, -1).from(ANYWHERE),
                                inbound(110).deny().icmp(0, 0).from(ANYWHERE),
                                inbound(120).deny().icmp(8, 0).from(ANYWHERE));

        assertThat(findings(net))
                .extracting(a -> a.title)
                .singleElement()
                .asString()
                .startsWith("Network ACL acl-0web inbound entry #120 ");
    }

    @Test
    void overlappingPeeringFires() throws Exception {
        List<Alert> alerts =
                findings(
                        TestNetwork.standard()
                                .peering(
                                        "pcx-1",
                                        VPC,
                                        "10.0.0.0/16",
                                        "vpc-0b",
                                        "10.0.128.0/17",
                                        "failed"));

        assertThat(alerts)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.detector).isEqualTo("peering_cidr_overlap");
                            assertThat(a.severity).isEqualTo("MEDIUM");
                            assertThat(a.title)
                                    .isEqualTo(
                                            "VPC peering pcx-1 joins VPCs with overlapping blocks: vpc-0main 10.0.0.0/16 and vpc-0b 10.0.128.0/17");
                        });
        assertThat(evidence(alerts.get(0)).get("accepter_cidr").asText())
                .isEqualTo("10.0.128.0/17");
    }

    @Test
    void twoPeeringsWhoseFarSidesOverlapFire() {
        List<Alert> alerts =
                findings(
                        TestNetwork.standard()
                                .peering(
                                        "pcx-1",
                                        VPC,
                                        "10.0.0.0/16",
                                        "vpc-0b",
                                        "10.1.0.0/16",
                                        "active")
                                .peering(
                                        "pcx-2",
                                        VPC,
                                        "10.0.0.0/16",
                                        "vpc-0c",
                                        "10.1.0.0/24",
                                        "active"));

        assertThat(alerts)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.detector).isEqualTo("peering_cidr_overlap");
                            assertThat(a.alertId)
                                    .isEqualTo(
                                            AlertIds.of(
                                                    "config_posture",
                                                    "peering_cidr_overlap",
                                                    "pcx-1+pcx-2",
                                                    Long.toString(TIME)));
                        });
    }

    @Test
    void quietOnDisjointPeerings() {
        assertThat(
                        findings(
                                TestNetwork.standard()
                                        .peering(
                                                "pcx-1",
                                                VPC,
                                                "10.0.0.0/16",
                                                "vpc-0b",
                                                "10.1.0.0/16",
                                                "active")
                                        .peering(
                                                "pcx-2",
                                                VPC,
                                                "10.0.0.0/16",
                                                "vpc-0c",
                                                "10.2.0.0/16",
                                                "active")))
                .isEmpty();
    }

    @Test
    void aReferenceToAGroupThatIsNotThereFires() throws Exception {
        List<Alert> alerts =
                findings(TestNetwork.standard().group("sg-web", tcp(5432).from("sg-0deleted")));

        assertThat(alerts)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.detector).isEqualTo("sg_missing_reference");
                            assertThat(a.severity).isEqualTo("MEDIUM");
                            assertThat(a.title)
                                    .isEqualTo(
                                            "Security group sg-web (web) rule sg-web/ingress/0 references sg-0deleted, which is not in"
                                                    + " the configuration: the rule matches nothing");
                        });
        assertThat(evidence(alerts.get(0)).get("referenced_group_id").asText())
                .isEqualTo("sg-0deleted");
    }

    @Test
    void quietOnReferencesThatExistOrCrossAPeering() {
        TestNetwork net =
                TestNetwork.standard()
                        .group("sg-app")
                        .group(
                                "sg-web",
                                tcp(5432).from("sg-app"),
                                tcp(5432).from("sg-0peer").acrossPeering("vpc-0p", "pcx-1"));

        assertThat(findings(net)).isEmpty();
    }

    @Test
    void theSameSnapshotGivesTheSameIdsAndAnotherTimeOtherIds() {
        TestNetwork net = TestNetwork.standard().group("sg-web", tcp(22).from(ANYWHERE));

        String once = PostureChecks.findings(net.index(), TIME).get(0).alertId;
        String again = PostureChecks.findings(net.index(), TIME).get(0).alertId;
        String later = PostureChecks.findings(net.index(), TIME + 1).get(0).alertId;

        assertThat(again).isEqualTo(once);
        assertThat(later).isNotEqualTo(once);
    }
}
