package io.flowtrail.config;

import static io.flowtrail.config.TestNetwork.A;
import static io.flowtrail.config.TestNetwork.A_SECONDARY;
import static io.flowtrail.config.TestNetwork.A_V6;
import static io.flowtrail.config.TestNetwork.ENI_A;
import static io.flowtrail.config.TestNetwork.SUBNET_A;
import static io.flowtrail.config.TestNetwork.SUBNET_B;
import static io.flowtrail.config.TestNetwork.VPC;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddress;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.model.NaclEntry;
import io.flowtrail.model.NetworkInterface;
import io.flowtrail.model.Route;
import io.flowtrail.model.Subnet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lookups of {@link NetworkIndex}: by id, by address, by block, per subnet. */
class NetworkIndexTest {
    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    @Test
    void interfacesByPrimarySecondaryAndIpv6Address() {
        NetworkIndex index = TestNetwork.standard().index();

        assertThat(index.networkInterface(ENI_A).privateIpv4Addresses())
                .containsExactly(ip(A), ip(A_SECONDARY));
        assertThat(index.interfaceWithAddress(VPC, ip(A)).interfaceId()).isEqualTo(ENI_A);
        assertThat(index.interfaceWithAddress(VPC, ip(A_SECONDARY)).interfaceId()).isEqualTo(ENI_A);
        assertThat(index.interfaceWithAddress(VPC, ip(A_V6)).interfaceId()).isEqualTo(ENI_A);
        assertThat(index.interfaceWithAddress(VPC, ip("10.0.1.17"))).isNull();
    }

    @Test
    void vpcsThatReuseARangeKeepTheirInterfacesApart() {
        NetworkIndex index =
                TestNetwork.standard()
                        .vpc("vpc-0twin", "10.0.0.0/16")
                        .subnet("subnet-0t", "vpc-0twin", "10.0.1.0/24")
                        .networkInterface("eni-TWIN", "subnet-0t", List.of(A), "sg-web")
                        .index();

        assertThat(index.interfaceWithAddress(VPC, ip(A)).interfaceId()).isEqualTo(ENI_A);
        assertThat(index.interfaceWithAddress("vpc-0twin", ip(A)).interfaceId())
                .isEqualTo("eni-TWIN");
        assertThat(index.interfacesWithAddress(ip(A)))
                .extracting(NetworkInterface::interfaceId)
                .containsExactlyInAnyOrder(ENI_A, "eni-TWIN");
    }

    @Test
    void subnetsByAddressInEitherFamily() {
        NetworkIndex index = TestNetwork.standard().index();

        assertThat(index.subnetContaining(VPC, ip("10.0.2.200")))
                .extracting(Subnet::subnetId)
                .isEqualTo(SUBNET_B);
        assertThat(index.subnetContaining(VPC, ip("2001:db8:1234:a101::99")))
                .extracting(Subnet::subnetId)
                .isEqualTo(SUBNET_A);
        assertThat(index.subnetContaining(VPC, ip("10.0.3.1"))).isNull();
        assertThat(index.vpcCidrs(VPC))
                .containsExactly(Cidr.parse("10.0.0.0/16"), Cidr.parse("2001:db8:1234:a100::/56"));
    }

    @Test
    void vpcAddressSpaceFallsBackToItsSubnetsWhenTheVpcIsNotDescribed() {
        NetworkIndex index =
                TestNetwork.empty()
                        .subnet("subnet-1", "vpc-1", "10.5.1.0/24")
                        .subnet("subnet-2", "vpc-1", "10.5.2.0/24")
                        .index();

        assertThat(index.vpcCidrs("vpc-1"))
                .containsExactly(Cidr.parse("10.5.1.0/24"), Cidr.parse("10.5.2.0/24"));
    }

    @Test
    void routeTableIsTheExplicitAssociationElseTheMainTable() {
        NetworkIndex index =
                TestNetwork.standard()
                        .routeTable(
                                "rtb-main",
                                VPC,
                                true,
                                List.of(),
                                "10.0.0.0/16",
                                "local",
                                "0.0.0.0/0",
                                "igw-1")
                        .routeTable(
                                "rtb-private",
                                VPC,
                                false,
                                List.of(SUBNET_B),
                                "10.0.0.0/16",
                                "local",
                                "0.0.0.0/0",
                                "nat-1")
                        .index();

        assertThat(index.routeTableOf(SUBNET_A).routeTableId()).isEqualTo("rtb-main");
        assertThat(index.routeTableOf(SUBNET_B).routeTableId()).isEqualTo("rtb-private");
    }

    @Test
    void routesByLongestPrefixWithPrefixListsExpandedAndLocalWinning() {
        NetworkIndex index =
                TestNetwork.standard()
                        .awsServicePrefixList(
                                "pl-63a5400a", "com.amazonaws.us-east-1.s3", "52.216.0.0/15")
                        .routeTable(
                                "rtb-main",
                                VPC,
                                true,
                                List.of(),
                                "0.0.0.0/0",
                                "nat-1",
                                "10.0.0.0/16",
                                "local",
                                "10.0.0.0/16",
                                "tgw-1",
                                "10.1.0.0/16",
                                "pcx-1",
                                "10.1.5.0/24",
                                "tgw-2",
                                "pl-63a5400a",
                                "vpce-s3",
                                "::/0",
                                "eigw-1")
                        .index();

        assertThat(index.routeFor(SUBNET_A, ip("10.0.9.9")).target()).isEqualTo(Route.Target.LOCAL);
        assertThat(index.routeFor(SUBNET_A, ip("10.1.9.9")).targetId()).isEqualTo("pcx-1");
        assertThat(index.routeFor(SUBNET_A, ip("10.1.5.9")).targetId()).isEqualTo("tgw-2");
        assertThat(index.routeFor(SUBNET_A, ip("52.217.0.1")).targetId()).isEqualTo("vpce-s3");
        assertThat(index.routeFor(SUBNET_A, ip("8.8.8.8")).targetId()).isEqualTo("nat-1");
        assertThat(index.routeFor(SUBNET_A, ip("2001:db8:ffff::1")).targetId()).isEqualTo("eigw-1");
    }

    @Test
    void endpointsPeeringsAndAwsServiceRanges() {
        NetworkIndex index =
                TestNetwork.standard()
                        .networkInterface(
                                "eni-KMS", SUBNET_B, VPC, "vpc_endpoint", List.of("10.0.2.77"))
                        .interfaceEndpoint(
                                "vpce-0kms", VPC, "com.amazonaws.us-east-1.kms", "eni-KMS")
                        .peering("pcx-1", VPC, "10.0.0.0/16", "vpc-0peer", "10.1.0.0/16", "active")
                        .peering("pcx-2", VPC, "10.0.0.0/16", "vpc-0gone", "10.2.0.0/16", "deleted")
                        .awsServicePrefixList(
                                "pl-63a5400a", "com.amazonaws.us-east-1.s3", "52.216.0.0/15")
                        .managedPrefixList("pl-0partners", "partners", "192.0.2.0/24")
                        .index();

        assertThat(index.endpointOfInterface("eni-KMS").vpcEndpointId()).isEqualTo("vpce-0kms");
        assertThat(index.activePeeringsOf(VPC))
                .extracting(p -> p.peeringConnectionId())
                .containsExactly("pcx-1");
        assertThat(index.activePeeringsOf("vpc-0peer")).hasSize(1);
        assertThat(index.isAwsServiceAddress(ip("52.217.255.255"))).isTrue();
        assertThat(index.isAwsServiceAddress(ip("192.0.2.1"))).isFalse();
    }

    @Test
    void prefixListEntriesWinOverTheCidrsOfTheServiceList() {
        NetworkIndex index =
                TestNetwork.standard()
                        .awsServicePrefixList(
                                "pl-63a5400a", "com.amazonaws.us-east-1.s3", "52.216.0.0/15")
                        .prefixListEntries("pl-63a5400a", "3.5.0.0/19")
                        .index();

        assertThat(index.prefixListCidrs("pl-63a5400a")).containsExactly(Cidr.parse("3.5.0.0/19"));
        assertThat(index.prefixListCidrs("pl-0unknown")).isNull();
    }

    @Test
    void referencedGroupsResolveToTheMembersPrivateAddresses() {
        NetworkIndex index =
                TestNetwork.standard()
                        .networkInterface(
                                "eni-B",
                                SUBNET_B,
                                List.of("10.0.2.5", "2001:db8:1234:a102::5"),
                                "sg-web",
                                "sg-app")
                        .index();

        assertThat(index.memberAddresses("sg-app"))
                .containsExactly(ip("10.0.2.5"), ip("2001:db8:1234:a102::5"));
        assertThat(index.memberAddresses("sg-web"))
                .containsExactly(
                        ip(A),
                        ip(A_SECONDARY),
                        ip(A_V6),
                        ip("10.0.2.5"),
                        ip("2001:db8:1234:a102::5"));
        assertThat(index.memberAddresses("sg-none")).isEmpty();
    }

    @Test
    void aclOfASubnetAndItsEntriesInEvaluationOrder() {
        NetworkIndex index =
                TestNetwork.standard()
                        .customNaclExactly(
                                "acl-0web",
                                SUBNET_B,
                                TestNetwork.inbound(200).deny().allTraffic().from("0.0.0.0/0"),
                                TestNetwork.inbound(100).allow().tcp(443).from("0.0.0.0/0"))
                        .index();

        assertThat(index.networkAclOf(SUBNET_A).networkAclId()).isEqualTo(TestNetwork.DEFAULT_ACL);
        assertThat(index.networkAclOf(SUBNET_B).networkAclId()).isEqualTo("acl-0web");
        assertThat(index.naclEntries("acl-0web", false, IpAddresses.V4))
                .extracting(NaclEntry::ruleNumber)
                .containsExactly(100, 200, 32767);
        assertThat(index.naclEntries("acl-0web", false, IpAddresses.V6))
                .extracting(NaclEntry::ruleNumber)
                .containsExactly(32768);
    }
}
