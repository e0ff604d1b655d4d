package io.flowtrail.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddress;
import io.flowtrail.model.NaclEntry;
import io.flowtrail.model.NetworkAcl;
import io.flowtrail.model.NetworkConfig;
import io.flowtrail.model.NetworkInterface;
import io.flowtrail.model.PrefixList;
import io.flowtrail.model.Protocols;
import io.flowtrail.model.Route;
import io.flowtrail.model.RouteTable;
import io.flowtrail.model.SecurityGroup;
import io.flowtrail.model.SecurityGroupRule;
import io.flowtrail.model.Subnet;
import io.flowtrail.model.Vpc;
import io.flowtrail.model.VpcEndpoint;
import io.flowtrail.model.VpcPeeringConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every {@code describe-*} shape of FORMATS.md §3, from the reference's own examples (fixtures
 * under {@code io/flowtrail/config/describe/}), the variants AWS prints, and the error messages for
 * malformed documents: file, JSON path, what was expected.
 */
class ConfigParserTest {
    private static String fixture(String name) {
        try (InputStream in =
                ConfigParserTest.class.getResourceAsStream(
                        "/io/flowtrail/config/describe/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigDocument parseFixture(String name) {
        return ConfigParser.parse("config/" + name, fixture(name));
    }

    @Nested
    class EveryShape {
        @Test
        void describeSecurityGroupsFlattensPermissionsIntoOneRulePerPeer() {
            ConfigDocument doc = parseFixture("describe-security-groups.json");

            assertThat(doc.kind()).isEqualTo(DocumentKind.SECURITY_GROUPS);
            assertThat(doc.key()).isEqualTo("SecurityGroups");
            SecurityGroup web = doc.content().securityGroups().get(0);
            assertThat(web.groupId()).isEqualTo("sg-0a1b2c3d4e5f60718");
            assertThat(web.groupName()).isEqualTo("web");
            assertThat(web.vpcId()).isEqualTo("vpc-0a1b2c3d4e5f60718");
            assertThat(web.ownerId()).isEqualTo("111122223333");
            assertThat(web.ingress())
                    .extracting(SecurityGroupRule::label, SecurityGroupRule::describe)
                    .containsExactly(
                            tuple("sg-0a1b2c3d4e5f60718/ingress/0", "TCP port 443 from 0.0.0.0/0"),
                            tuple("sg-0a1b2c3d4e5f60718/ingress/0", "TCP port 443 from ::/0"),
                            tuple(
                                    "sg-0a1b2c3d4e5f60718/ingress/1",
                                    "TCP port 22 from 10.0.0.0/8 \"corp\""),
                            tuple(
                                    "sg-0a1b2c3d4e5f60718/ingress/1",
                                    "TCP port 22 from members of sg-0bastion000000001 \"bastion\""),
                            tuple(
                                    "sg-0a1b2c3d4e5f60718/ingress/2",
                                    "ICMP type 8 any code from 0.0.0.0/0"));
            assertThat(web.egress())
                    .extracting(SecurityGroupRule::protocol, r -> r.cidr().toString())
                    .containsExactly(
                            tuple(Protocols.ALL, "0.0.0.0/0"), tuple(Protocols.ALL, "::/0"));

            SecurityGroup db = doc.content().securityGroups().get(1);
            assertThat(db.egress()).isEmpty();
            assertThat(db.ingress()).hasSize(3);
            assertThat(db.ingress().get(0).prefixListId()).isEqualTo("pl-0123456789abcdef0");
            assertThat(db.ingress().get(0).description()).isEqualTo("analytics ranges");
            assertThat(db.ingress().get(1).group().groupId()).isEqualTo("sg-0a1b2c3d4e5f60718");
            SecurityGroupRule.GroupReference peer = db.ingress().get(2).group();
            assertThat(peer)
                    .isEqualTo(
                            new SecurityGroupRule.GroupReference(
                                    "sg-0peer00000000001",
                                    "444455556666",
                                    "vpc-0peer0000000001",
                                    "pcx-0a1b2c3d4e5f60718",
                                    "active"));
        }

        @Test
        void describeSecurityGroupRulesLabelsRulesByTheirSgrIds() {
            ConfigDocument doc = parseFixture("describe-security-group-rules.json");

            assertThat(doc.kind()).isEqualTo(DocumentKind.SECURITY_GROUP_RULES);
            List<SecurityGroup> groups = doc.content().securityGroupsFromRules();
            assertThat(groups)
                    .extracting(SecurityGroup::groupId)
                    .containsExactly("sg-0a1b2c3d4e5f60718", "sg-0c3d4e5f607182930");
            SecurityGroup web = groups.get(0);
            assertThat(web.ownerId()).isEqualTo("111122223333");
            assertThat(web.ingress())
                    .extracting(SecurityGroupRule::label)
                    .containsExactly("sgr-0aa0000000000001", "sgr-0aa0000000000002");
            assertThat(web.ingress().get(1).group().groupId()).isEqualTo("sg-0bastion000000001");
            assertThat(web.egress())
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.ruleId()).isEqualTo("sgr-0aa0000000000003");
                                assertThat(r.protocol()).isEqualTo(Protocols.ALL);
                                assertThat(r.allPorts()).isTrue();
                            });
            assertThat(groups.get(1).ingress().get(0).prefixListId())
                    .isEqualTo("pl-0123456789abcdef0");
        }

        @Test
        void describeNetworkAclsKeepsEveryEntryWithItsStarRules() {
            ConfigDocument doc = parseFixture("describe-network-acls.json");

            NetworkAcl acl = doc.content().networkAcls().get(0);
            assertThat(acl.networkAclId()).isEqualTo("acl-0a1b2c3d4e5f60718");
            assertThat(acl.isDefault()).isFalse();
            assertThat(acl.subnetIds())
                    .containsExactly("subnet-0aa11bb22cc33dd44", "subnet-0bb22cc33dd44ee55");
            assertThat(acl.entries()).hasSize(11);
            assertThat(acl.entries().get(0))
                    .isEqualTo(
                            new NaclEntry(
                                    "acl-0a1b2c3d4e5f60718",
                                    90,
                                    false,
                                    false,
                                    Protocols.ALL,
                                    Cidr.parse("192.0.2.66/32"),
                                    -1,
                                    -1,
                                    -1,
                                    -1));
            assertThat(acl.entries().get(3).describe())
                    .isEqualTo("allow TCP ports 1024-65535 from 0.0.0.0/0");
            assertThat(acl.entries().get(2).cidr()).isEqualTo(Cidr.parse("::/0"));
            assertThat(acl.entries().get(4).describe())
                    .isEqualTo("allow ICMP all types from 0.0.0.0/0");
            assertThat(acl.entries())
                    .filteredOn(NaclEntry::isDefaultRule)
                    .extracting(NaclEntry::ruleNumber, NaclEntry::egress)
                    .containsExactly(
                            tuple(32767, false),
                            tuple(32768, false),
                            tuple(32767, true),
                            tuple(32768, true));
        }

        @Test
        void describeNetworkInterfacesReadsAddressesGroupsAndAttachment() {
            List<NetworkInterface> enis =
                    parseFixture("describe-network-interfaces.json").content().networkInterfaces();

            NetworkInterface web = enis.get(0);
            assertThat(web.interfaceId()).isEqualTo("eni-0a1b2c3d4e5f60718");
            assertThat(web.subnetId()).isEqualTo("subnet-0aa11bb22cc33dd44");
            assertThat(web.vpcId()).isEqualTo("vpc-0a1b2c3d4e5f60718");
            assertThat(web.privateIpv4Addresses())
                    .containsExactly(IpAddress.parse("10.0.1.15"), IpAddress.parse("10.0.1.16"));
            assertThat(web.ipv6Addresses())
                    .containsExactly(IpAddress.parse("2001:db8:1234:a102::15"));
            assertThat(web.groupIds()).containsExactly("sg-0a1b2c3d4e5f60718");
            assertThat(web.instanceId()).isEqualTo("i-0123456789abcdef0");
            assertThat(web.interfaceType()).isEqualTo("interface");
            assertThat(web.requesterManaged()).isFalse();

            NetworkInterface nat = enis.get(1);
            assertThat(nat.interfaceType()).isEqualTo("natGateway");
            assertThat(nat.requesterManaged()).isTrue();
            assertThat(nat.groupIds()).isEmpty();
            assertThat(nat.instanceId()).isNull();
            assertThat(nat.description())
                    .isEqualTo("Interface for NAT Gateway nat-0a1b2c3d4e5f60718");
        }

        @Test
        void describeSubnetsReadsIpv4AndIpv6Blocks() {
            Subnet s = parseFixture("describe-subnets.json").content().subnets().get(0);

            assertThat(s)
                    .isEqualTo(
                            new Subnet(
                                    "subnet-0aa11bb22cc33dd44",
                                    "vpc-0a1b2c3d4e5f60718",
                                    "111122223333",
                                    List.of(
                                            Cidr.parse("10.0.1.0/24"),
                                            Cidr.parse("2001:db8:1234:a102::/64")),
                                    "us-east-1a",
                                    "use1-az4"));
        }

        @Test
        void describeRouteTablesReadsEveryTargetKindAndTheMainFlag() {
            List<RouteTable> tables =
                    parseFixture("describe-route-tables.json").content().routeTables();

            RouteTable privateA = tables.get(0);
            assertThat(privateA.main()).isFalse();
            assertThat(privateA.subnetIds()).containsExactly("subnet-0cc33dd44ee55ff66");
            assertThat(privateA.routes())
                    .extracting(Route::target, Route::targetId)
                    .containsExactly(
                            tuple(Route.Target.LOCAL, "local"),
                            tuple(Route.Target.NAT_GATEWAY, "nat-0a1b2c3d4e5f60718"),
                            tuple(
                                    Route.Target.EGRESS_ONLY_INTERNET_GATEWAY,
                                    "eigw-0a1b2c3d4e5f60718"),
                            tuple(Route.Target.VPC_ENDPOINT, "vpce-0b2c3d4e5f6071829"),
                            tuple(Route.Target.VPC_PEERING, "pcx-0a1b2c3d4e5f60718"),
                            tuple(Route.Target.TRANSIT_GATEWAY, "tgw-0a1b2c3d4e5f60718"),
                            tuple(Route.Target.VPN_GATEWAY, "vgw-0a1b2c3d4e5f60718"));
            assertThat(privateA.routes().get(3).destinationPrefixListId()).isEqualTo("pl-63a5400a");
            assertThat(privateA.routes().get(2).destination()).isEqualTo(Cidr.parse("::/0"));
            assertThat(tables.get(1).main()).isTrue();
            assertThat(tables.get(1).routes().get(1).target())
                    .isEqualTo(Route.Target.INTERNET_GATEWAY);
        }

        @Test
        void describeVpcsReadsEveryAssociatedBlockOnce() {
            Vpc v = parseFixture("describe-vpcs.json").content().vpcs().get(0);

            assertThat(v.cidrBlocks())
                    .containsExactly(
                            Cidr.parse("10.0.0.0/16"),
                            Cidr.parse("100.64.0.0/16"),
                            Cidr.parse("2001:db8:1234:a100::/56"));
        }

        @Test
        void describeVpcEndpointsReadsInterfaceAndGatewayEndpoints() {
            List<VpcEndpoint> endpoints =
                    parseFixture("describe-vpc-endpoints.json").content().vpcEndpoints();

            assertThat(endpoints.get(0).isInterface()).isTrue();
            assertThat(endpoints.get(0).serviceName()).isEqualTo("com.amazonaws.us-east-1.kms");
            assertThat(endpoints.get(0).networkInterfaceIds())
                    .containsExactly("eni-0f1e2d3c4b5a69788");
            assertThat(endpoints.get(0).groupIds()).containsExactly("sg-0e5f60718293a4b5c");
            assertThat(endpoints.get(1).isGateway()).isTrue();
            assertThat(endpoints.get(1).routeTableIds()).containsExactly("rtb-0a1b2c3d4e5f60718");
        }

        @Test
        void describeManagedPrefixListsIsRecognisedByShape() {
            ConfigDocument doc = parseFixture("describe-managed-prefix-lists.json");

            assertThat(doc.kind()).isEqualTo(DocumentKind.MANAGED_PREFIX_LISTS);
            assertThat(doc.key()).isEqualTo("ManagedPrefixLists");
            List<PrefixList> lists = doc.content().prefixLists();
            assertThat(lists.get(0).version()).isEqualTo(3);
            assertThat(lists.get(0).awsManaged()).isFalse();
            assertThat(lists.get(1).awsManaged()).isTrue();
            assertThat(lists.get(1).cidrs()).isEmpty();
        }

        @Test
        void describePrefixListsIsRecognisedByItsCidrs() {
            ConfigDocument doc = parseFixture("describe-prefix-lists.json");

            assertThat(doc.kind()).isEqualTo(DocumentKind.PREFIX_LISTS);
            assertThat(doc.key()).isEqualTo("PrefixLists");
            PrefixList s3 = doc.content().prefixLists().get(0);
            assertThat(s3.serviceList()).isTrue();
            assertThat(s3.awsManaged()).isTrue();
            assertThat(s3.cidrs())
                    .containsExactly(
                            Cidr.parse("52.216.0.0/15"),
                            Cidr.parse("3.5.0.0/19"),
                            Cidr.parse("54.231.0.0/16"));
        }

        @Test
        void prefixListEntriesTakeTheirListFromTheFileName() throws Exception {
            ConfigDocument doc = parseFixture("pl-0123456789abcdef0.json");

            assertThat(doc.kind()).isEqualTo(DocumentKind.PREFIX_LIST_ENTRIES);
            assertThat(doc.key()).isEqualTo("PrefixListEntries:pl-0123456789abcdef0");
            assertThat(doc.content().prefixListEntries())
                    .containsEntry(
                            "pl-0123456789abcdef0",
                            List.of(Cidr.parse("192.0.2.0/24"), Cidr.parse("198.51.100.128/25")));
            assertThat(new ObjectMapper().readTree(doc.json()).get("PrefixListId").asText())
                    .isEqualTo("pl-0123456789abcdef0");
        }

        @Test
        void prefixListEntriesTakeTheirListFromATopLevelKey() {
            ConfigDocument doc =
                    ConfigParser.parse(
                            "config/entries.json",
                            "{\"PrefixListId\": \"pl-0abc\", \"Entries\": [{\"Cidr\": \"2001:db8:5::/48\"}]}");

            assertThat(doc.key()).isEqualTo("PrefixListEntries:pl-0abc");
            assertThat(doc.content().prefixListEntries().get("pl-0abc"))
                    .containsExactly(Cidr.parse("2001:db8:5::/48"));
        }

        @Test
        void describeVpcPeeringConnectionsReadsBothSides() {
            VpcPeeringConnection p =
                    parseFixture("describe-vpc-peering-connections.json")
                            .content()
                            .peeringConnections()
                            .get(0);

            assertThat(p.peeringConnectionId()).isEqualTo("pcx-0a1b2c3d4e5f60718");
            assertThat(p.isActive()).isTrue();
            assertThat(p.requester().vpcId()).isEqualTo("vpc-0a1b2c3d4e5f60718");
            assertThat(p.requester().region()).isEqualTo("us-east-1");
            assertThat(p.requester().cidrBlocks())
                    .containsExactly(
                            Cidr.parse("10.0.0.0/16"), Cidr.parse("2001:db8:1234:a100::/56"));
            assertThat(p.accepter().ownerId()).isEqualTo("444455556666");
            assertThat(p.accepter().cidrBlocks()).containsExactly(Cidr.parse("10.1.0.0/16"));
        }
    }

    @Nested
    class Variants {
        private SecurityGroupRule onlyRule(String permission) {
            String doc =
                    "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": ["
                            + permission
                            + "]}]}";
            return ConfigParser.parse("sg.json", doc)
                    .content()
                    .securityGroups()
                    .get(0)
                    .ingress()
                    .get(0);
        }

        @Test
        void protocolsAsNamesNumbersAndJsonNumbers() {
            assertThat(
                            onlyRule(
                                            "{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}")
                                    .protocol())
                    .isEqualTo(6);
            assertThat(
                            onlyRule(
                                            "{\"IpProtocol\": \"6\", \"FromPort\": 22, \"ToPort\": 22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}")
                                    .protocol())
                    .isEqualTo(6);
            assertThat(
                            onlyRule(
                                            "{\"IpProtocol\": 17, \"FromPort\": 53, \"ToPort\": 53, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}")
                                    .protocol())
                    .isEqualTo(17);
            assertThat(
                            onlyRule(
                                            "{\"IpProtocol\": \"ICMPv6\", \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}")
                                    .trafficText())
                    .isEqualTo("ICMPv6 all types");
            assertThat(
                            onlyRule(
                                            "{\"IpProtocol\": \"50\", \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]}")
                                    .trafficText())
                    .isEqualTo("protocol 50");
        }

        @Test
        void allProtocolsWithoutPortsAndWithoutOptionalKeys() {
            SecurityGroupRule r =
                    onlyRule(
                            "{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}");

            assertThat(r.protocol()).isEqualTo(Protocols.ALL);
            assertThat(r.fromPort()).isEqualTo(-1);
            assertThat(r.allPorts()).isTrue();
            assertThat(r.description()).isNull();
        }

        @Test
        void nullOptionalValuesAreAbsentAndPagingKeysAreAllowed() {
            ConfigDocument doc =
                    ConfigParser.parse(
                            "sg.json",
                            "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"GroupName\": null,"
                                    + " \"IpPermissionsEgress\": null}], \"NextToken\": \"abc\"}");

            assertThat(doc.content().securityGroups().get(0).groupName()).isNull();
            assertThat(doc.content().securityGroups().get(0).egress()).isEmpty();
        }

        @Test
        void hostBitsInACidrAreCleared() {
            assertThat(
                            onlyRule(
                                            "{\"IpProtocol\": \"tcp\", \"FromPort\": 1, \"ToPort\": 2, \"IpRanges\": [{\"CidrIp\": \"10.1.2.3/8\"}]}")
                                    .cidr())
                    .hasToString("10.0.0.0/8");
        }

        @Test
        void emptyDocumentOfAKindIsValid() {
            NetworkConfig c =
                    ConfigParser.parse("p.json", "{\"VpcPeeringConnections\": []}").content();

            assertThat(c.peeringConnections()).isEmpty();
        }
    }

    @Nested
    class Errors {
        private String problem(String source, String json) {
            try {
                ConfigParser.parse(source, json);
            } catch (ConfigException e) {
                return e.getMessage();
            }
            throw new AssertionError("expected a ConfigException for " + json);
        }

        @Test
        void portThatIsNotAnIntegerNamesFilePathAndExpectation() {
            String json =
                    "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\"}, {\"GroupId\": \"sg-2\"}, {\"GroupId\": \"sg-3\"},"
                            + " {\"GroupId\": \"sg-4\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": \"x\","
                            + " \"ToPort\": 22}]}]}";

            assertThat(problem("config/2026-11-02T09:00:00Z/sg.json", json))
                    .isEqualTo(
                            "config/2026-11-02T09:00:00Z/sg.json: $.SecurityGroups[3].IpPermissions[0].FromPort:"
                                    + " expected an integer, got \"x\"");
        }

        @Test
        void badCidrInAnAclEntry() {
            String json =
                    "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": [{\"RuleNumber\": 100,"
                            + " \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": false,"
                            + " \"CidrBlock\": \"10.0.0.0/33\"}]}]}";

            assertThat(problem("acl.json", json))
                    .isEqualTo(
                            "acl.json: $.NetworkAcls[0].Entries[0].CidrBlock: expected an IPv4 CIDR block like"
                                    + " 10.0.0.0/16, got \"10.0.0.0/33\"");
        }

        @Test
        void ipv6BlockWhereIpv4IsExpected() {
            String json =
                    "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"-1\","
                            + " \"IpRanges\": [{\"CidrIp\": \"::/0\"}]}]}]}";

            assertThat(problem("sg.json", json))
                    .isEqualTo(
                            "sg.json: $.SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp: expected an IPv4"
                                    + " CIDR block like 10.0.0.0/16, got \"::/0\"");
        }

        @Test
        void missingRequiredId() {
            assertThat(
                            problem(
                                    "eni.json",
                                    "{\"NetworkInterfaces\": [{\"SubnetId\": \"subnet-1\"}]}"))
                    .isEqualTo(
                            "eni.json: $.NetworkInterfaces[0].NetworkInterfaceId: expected an id like"
                                    + " eni-0123456789abcdef0, but the key is missing");
        }

        @Test
        void unknownProtocolName() {
            String json =
                    "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcpp\"}]}]}";

            assertThat(problem("sg.json", json))
                    .isEqualTo(
                            "sg.json: $.SecurityGroups[0].IpPermissions[0].IpProtocol: expected a protocol: tcp,"
                                    + " udp, icmp, icmpv6, -1 or a number 0-255, got \"tcpp\"");
        }

        @Test
        void aclEntryWithAnUnknownActionAndWithBothFamilies() {
            String entry =
                    "{\"RuleNumber\": 100, \"Protocol\": \"6\", \"RuleAction\": \"%s\", \"Egress\": true,"
                            + " \"CidrBlock\": \"0.0.0.0/0\"%s}";
            String permit =
                    "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": ["
                            + String.format(entry, "permit", "")
                            + "]}]}";
            String both =
                    "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": ["
                            + String.format(entry, "deny", ", \"Ipv6CidrBlock\": \"::/0\"")
                            + "]}]}";

            assertThat(problem("acl.json", permit))
                    .isEqualTo(
                            "acl.json: $.NetworkAcls[0].Entries[0].RuleAction: expected \"allow\" or \"deny\", got \"permit\"");
            assertThat(problem("acl.json", both))
                    .isEqualTo(
                            "acl.json: $.NetworkAcls[0].Entries[0]: expected exactly one of CidrBlock and Ipv6CidrBlock");
        }

        @Test
        void ruleNumberOutOfRange() {
            String json =
                    "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": [{\"RuleNumber\": 40000,"
                            + " \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"Egress\": false, \"CidrBlock\": \"0.0.0.0/0\"}]}]}";

            assertThat(problem("acl.json", json))
                    .isEqualTo(
                            "acl.json: $.NetworkAcls[0].Entries[0].RuleNumber: expected an integer 1..32768, got 40000");
        }

        @Test
        void unknownTopLevelKeys() {
            assertThat(problem("x.json", "{\"Reservations\": [], \"Foo\": 1}"))
                    .startsWith(
                            "x.json: not a describe-* document Flowtrail knows: top-level keys [Foo, Reservations]");
        }

        @Test
        void twoKindsInOneDocument() {
            assertThat(problem("x.json", "{\"Vpcs\": [], \"Subnets\": []}"))
                    .startsWith(
                            "x.json: not a describe-* document Flowtrail knows: top-level keys [Subnets, Vpcs]");
        }

        @Test
        void notJsonNamesLineAndColumn() {
            assertThat(problem("x.json", "{\"Vpcs\": [\n  {\"VpcId\": }\n]}"))
                    .startsWith("x.json: not valid JSON: ")
                    .contains("(line 2, column ");
        }

        @Test
        void duplicateKeysAreRejected() {
            assertThat(problem("x.json", "{\"Vpcs\": [], \"Vpcs\": []}"))
                    .startsWith("x.json: not valid JSON: Duplicate field 'Vpcs'");
        }

        @Test
        void arrayElementThatIsNotAnObject() {
            assertThat(
                            problem(
                                    "sg.json",
                                    "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\"}, \"sg-2\"]}"))
                    .isEqualTo("sg.json: $.SecurityGroups[1]: expected an object, got \"sg-2\"");
        }

        @Test
        void entriesWithoutAListId() {
            assertThat(
                            problem(
                                    "config/entries.json",
                                    "{\"Entries\": [{\"Cidr\": \"10.0.0.0/8\"}]}"))
                    .startsWith(
                            "config/entries.json: $.Entries: get-managed-prefix-list-entries output does not"
                                    + " name its prefix list");
        }

        @Test
        void entriesWhoseKeyAndFileNameDisagree() {
            assertThat(
                            problem(
                                    "config/pl-0aaa.json",
                                    "{\"PrefixListId\": \"pl-0bbb\", \"Entries\": []}"))
                    .isEqualTo(
                            "config/pl-0aaa.json: $.PrefixListId: names pl-0bbb but the file is named after"
                                    + " pl-0aaa: which list are these entries of?");
        }

        @Test
        void topLevelArrayIsNotADocument() {
            assertThat(problem("x.json", "[]"))
                    .isEqualTo(
                            "x.json: $: expected a JSON object such as {\"SecurityGroups\": [...]}, got an array");
        }
    }
}
