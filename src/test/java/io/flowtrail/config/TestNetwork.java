package io.flowtrail.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network described in code, written out as the {@code describe-*} documents AWS prints, so that
 * tests go through the real parser and index. {@link #standard()} is the default world of
 * FORMATS.md §5: instance A's interface {@code eni-A} (10.0.1.15, secondary 10.0.1.16) in subnet
 * 10.0.1.0/24 of VPC 10.0.0.0/16, security group {@code sg-web}, the VPC's default network ACL
 * allowing everything.
 */
final class TestNetwork {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String ACCOUNT = "111122223333";
    static final String VPC = "vpc-0main";
    static final String SUBNET_A = "subnet-0a";
    static final String SUBNET_B = "subnet-0b";
    static final String DEFAULT_ACL = "acl-0default";
    static final String ENI_A = "eni-A";
    static final String A = "10.0.1.15";
    static final String A_SECONDARY = "10.0.1.16";
    static final String A_V6 = "2001:db8:1234:a101::15";
    static final String CLIENT = "198.51.100.7";
    static final String ANYWHERE = "0.0.0.0/0";
    static final String ANYWHERE_V6 = "::/0";

    private final Map<String, List<ObjectNode>> documents = new LinkedHashMap<>();
    private final Map<String, List<String>> entries = new LinkedHashMap<>();
    private final Map<String, String> vpcOfSubnet = new HashMap<>();

    static TestNetwork empty() {
        return new TestNetwork();
    }

    static TestNetwork standard() {
        return empty().vpc(VPC, "10.0.0.0/16", "2001:db8:1234:a100::/56")
                .subnet(SUBNET_A, VPC, "10.0.1.0/24", "2001:db8:1234:a101::/64")
                .subnet(SUBNET_B, VPC, "10.0.2.0/24", "2001:db8:1234:a102::/64")
                .defaultNacl(DEFAULT_ACL, VPC)
                .networkInterface(ENI_A, SUBNET_A, List.of(A, A_SECONDARY, A_V6), "sg-web")
                .group("sg-web");
    }

    private List<ObjectNode> kind(String key) {
        return documents.computeIfAbsent(key, k -> new ArrayList<>());
    }

    private void replace(String key, String idKey, ObjectNode item) {
        List<ObjectNode> items = kind(key);
        items.removeIf(i -> i.get(idKey).asText().equals(item.get(idKey).asText()));
        items.add(item);
    }

    // ---- VPCs, subnets, interfaces

    TestNetwork vpc(String vpcId, String... cidrs) {
        ObjectNode v = JSON.createObjectNode().put("VpcId", vpcId).put("OwnerId", ACCOUNT);
        ArrayNode v4 = v.putArray("CidrBlockAssociationSet");
        ArrayNode v6 = v.putArray("Ipv6CidrBlockAssociationSet");
        for (String c : cidrs) {
            if (c.contains(":")) {
                v6.addObject()
                        .put("Ipv6CidrBlock", c)
                        .putObject("Ipv6CidrBlockState")
                        .put("State", "associated");
            } else {
                if (!v.has("CidrBlock")) {
                    v.put("CidrBlock", c);
                }
                v4.addObject()
                        .put("CidrBlock", c)
                        .putObject("CidrBlockState")
                        .put("State", "associated");
            }
        }
        replace("Vpcs", "VpcId", v);
        return this;
    }

    TestNetwork subnet(String subnetId, String vpcId, String... cidrs) {
        vpcOfSubnet.put(subnetId, vpcId);
        ObjectNode s =
                JSON.createObjectNode()
                        .put("SubnetId", subnetId)
                        .put("VpcId", vpcId)
                        .put("OwnerId", ACCOUNT);
        ArrayNode v6 = s.putArray("Ipv6CidrBlockAssociationSet");
        for (String c : cidrs) {
            if (c.contains(":")) {
                v6.addObject()
                        .put("Ipv6CidrBlock", c)
                        .putObject("Ipv6CidrBlockState")
                        .put("State", "associated");
            } else {
                s.put("CidrBlock", c);
            }
        }
        replace("Subnets", "SubnetId", s);
        return this;
    }

    /** An interface; its first IPv4 address is the primary one, the VPC is its subnet's. */
    TestNetwork networkInterface(
            String eniId, String subnetId, List<String> addresses, String... groups) {
        return networkInterface(
                eniId, subnetId, vpcOfSubnet.get(subnetId), "interface", addresses, groups);
    }

    TestNetwork networkInterface(
            String eniId,
            String subnetId,
            String vpcId,
            String interfaceType,
            List<String> addresses,
            String... groups) {
        ObjectNode n =
                JSON.createObjectNode()
                        .put("NetworkInterfaceId", eniId)
                        .put("SubnetId", subnetId)
                        .put("VpcId", vpcId)
                        .put("OwnerId", ACCOUNT)
                        .put("InterfaceType", interfaceType);
        ArrayNode g = n.putArray("Groups");
        for (String group : groups) {
            g.addObject().put("GroupId", group);
        }
        ArrayNode v4 = n.putArray("PrivateIpAddresses");
        ArrayNode v6 = n.putArray("Ipv6Addresses");
        for (String a : addresses) {
            if (a.contains(":")) {
                v6.addObject().put("Ipv6Address", a);
            } else {
                if (!n.has("PrivateIpAddress")) {
                    n.put("PrivateIpAddress", a);
                }
                v4.addObject().put("PrivateIpAddress", a).put("Primary", v4.size() == 0);
            }
        }
        replace("NetworkInterfaces", "NetworkInterfaceId", n);
        return this;
    }

    // ---- security groups

    /** A security group with these rules (replaces a group with the same id). */
    TestNetwork group(String groupId, Rule... rules) {
        return group(groupId, VPC, rules);
    }

    TestNetwork group(String groupId, String vpcId, Rule... rules) {
        ObjectNode g =
                JSON.createObjectNode()
                        .put("GroupId", groupId)
                        .put("GroupName", groupId.substring(3))
                        .put("VpcId", vpcId)
                        .put("OwnerId", ACCOUNT);
        ArrayNode in = g.putArray("IpPermissions");
        ArrayNode out = g.putArray("IpPermissionsEgress");
        for (Rule r : rules) {
            (r.egress ? out : in).add(r.permission());
        }
        replace("SecurityGroups", "GroupId", g);
        return this;
    }

    static Rule tcp(int port) {
        return new Rule("tcp", port, port);
    }

    static Rule tcp(int from, int to) {
        return new Rule("tcp", from, to);
    }

    static Rule udp(int port) {
        return new Rule("udp", port, port);
    }

    static Rule icmp(int type, int code) {
        return new Rule("icmp", type, code);
    }

    static Rule allTraffic() {
        return new Rule("-1", null, null);
    }

    static Rule protocol(String protocol) {
        return new Rule(protocol, null, null);
    }

    /** One security-group permission with one peer. */
    static final class Rule {
        final String protocol;
        final Integer from;
        final Integer to;
        boolean egress;
        String peer;
        String peerVpc;
        String peering;

        Rule(String protocol, Integer from, Integer to) {
            this.protocol = protocol;
            this.from = from;
            this.to = to;
        }

        /** Inbound, from a CIDR block, {@code sg-} group or {@code pl-} prefix list. */
        Rule from(String peer) {
            this.peer = peer;
            return this;
        }

        /** Outbound, to a CIDR block, group or prefix list. */
        Rule to(String peer) {
            this.egress = true;
            this.peer = peer;
            return this;
        }

        /** The referenced group is in a peered VPC. */
        Rule acrossPeering(String vpcId, String peeringId) {
            this.peerVpc = vpcId;
            this.peering = peeringId;
            return this;
        }

        ObjectNode permission() {
            ObjectNode p = JSON.createObjectNode().put("IpProtocol", protocol);
            if (from != null) {
                p.put("FromPort", from).put("ToPort", to);
            }
            ArrayNode v4 = p.putArray("IpRanges");
            ArrayNode v6 = p.putArray("Ipv6Ranges");
            ArrayNode lists = p.putArray("PrefixListIds");
            ArrayNode groups = p.putArray("UserIdGroupPairs");
            if (peer.startsWith("sg-")) {
                ObjectNode pair = groups.addObject().put("GroupId", peer).put("UserId", ACCOUNT);
                if (peering != null) {
                    pair.put("VpcId", peerVpc)
                            .put("VpcPeeringConnectionId", peering)
                            .put("PeeringStatus", "active");
                }
            } else if (peer.startsWith("pl-")) {
                lists.addObject().put("PrefixListId", peer);
            } else if (peer.contains(":")) {
                v6.addObject().put("CidrIpv6", peer);
            } else {
                v4.addObject().put("CidrIp", peer);
            }
            return p;
        }
    }

    // ---- network ACLs

    /** The VPC's default ACL: allow everything both ways, both families. */
    TestNetwork defaultNacl(String aclId, String vpcId) {
        ObjectNode a = nacl(aclId, vpcId, true, List.of());
        ArrayNode e = a.putArray("Entries");
        for (boolean egress : new boolean[] {false, true}) {
            e.add(entry(100, egress, "allow", "-1", ANYWHERE));
            e.add(entry(101, egress, "allow", "-1", ANYWHERE_V6));
            e.add(entry(32767, egress, "deny", "-1", ANYWHERE));
            e.add(entry(32768, egress, "deny", "-1", ANYWHERE_V6));
        }
        replace("NetworkAcls", "NetworkAclId", a);
        return this;
    }

    /**
     * A custom ACL associated with the subnet: these entries plus the two {@code *} entries of each
     * direction.
     */
    TestNetwork customNacl(String aclId, String subnetId, Entry... entries) {
        ObjectNode a = nacl(aclId, vpcOfSubnet.get(subnetId), false, List.of(subnetId));
        ArrayNode e = a.putArray("Entries");
        for (Entry entry : entries) {
            e.add(entry.node());
        }
        for (boolean egress : new boolean[] {false, true}) {
            e.add(entry(32767, egress, "deny", "-1", ANYWHERE));
            e.add(entry(32768, egress, "deny", "-1", ANYWHERE_V6));
        }
        replace("NetworkAcls", "NetworkAclId", a);
        return this;
    }

    /** A custom ACL with exactly these entries (the document omits the {@code *} entries). */
    TestNetwork customNaclExactly(String aclId, String subnetId, Entry... entries) {
        ObjectNode a = nacl(aclId, vpcOfSubnet.get(subnetId), false, List.of(subnetId));
        ArrayNode e = a.putArray("Entries");
        for (Entry entry : entries) {
            e.add(entry.node());
        }
        replace("NetworkAcls", "NetworkAclId", a);
        return this;
    }

    private static ObjectNode nacl(
            String aclId, String vpcId, boolean isDefault, List<String> subnets) {
        ObjectNode a =
                JSON.createObjectNode()
                        .put("NetworkAclId", aclId)
                        .put("VpcId", vpcId)
                        .put("OwnerId", ACCOUNT)
                        .put("IsDefault", isDefault);
        ArrayNode assoc = a.putArray("Associations");
        for (String s : subnets) {
            assoc.addObject().put("NetworkAclId", aclId).put("SubnetId", s);
        }
        return a;
    }

    private static ObjectNode entry(
            int number, boolean egress, String action, String protocol, String cidr) {
        ObjectNode e =
                JSON.createObjectNode()
                        .put("RuleNumber", number)
                        .put("Protocol", protocol)
                        .put("RuleAction", action)
                        .put("Egress", egress);
        e.put(cidr.contains(":") ? "Ipv6CidrBlock" : "CidrBlock", cidr);
        return e;
    }

    static Entry inbound(int number) {
        return new Entry(number, false);
    }

    static Entry outbound(int number) {
        return new Entry(number, true);
    }

    /** One network-ACL entry. */
    static final class Entry {
        final int number;
        final boolean egress;
        String action = "allow";
        String protocol = "-1";
        String cidr = ANYWHERE;
        int[] ports;
        int[] icmp;

        Entry(int number, boolean egress) {
            this.number = number;
            this.egress = egress;
        }

        Entry allow() {
            action = "allow";
            return this;
        }

        Entry deny() {
            action = "deny";
            return this;
        }

        Entry allTraffic() {
            protocol = "-1";
            return this;
        }

        Entry tcp(int port) {
            return tcp(port, port);
        }

        Entry tcp(int from, int to) {
            protocol = "6";
            ports = new int[] {from, to};
            return this;
        }

        Entry udp(int from, int to) {
            protocol = "17";
            ports = new int[] {from, to};
            return this;
        }

        Entry icmp(int type, int code) {
            protocol = "1";
            icmp = new int[] {type, code};
            return this;
        }

        Entry icmpv6(int type, int code) {
            protocol = "58";
            icmp = new int[] {type, code};
            return this;
        }

        /** The source block of an inbound entry. */
        Entry from(String cidr) {
            this.cidr = cidr;
            return this;
        }

        /** The destination block of an outbound entry. */
        Entry to(String cidr) {
            this.cidr = cidr;
            return this;
        }

        ObjectNode node() {
            ObjectNode e = entry(number, egress, action, protocol, cidr);
            if (ports != null) {
                e.putObject("PortRange").put("From", ports[0]).put("To", ports[1]);
            }
            if (icmp != null) {
                e.putObject("IcmpTypeCode").put("Type", icmp[0]).put("Code", icmp[1]);
            }
            return e;
        }
    }

    // ---- prefix lists, endpoints, peering, routes

    /** An AWS service list from {@code describe-prefix-lists}, with its blocks. */
    TestNetwork awsServicePrefixList(String id, String name, String... cidrs) {
        ObjectNode p = JSON.createObjectNode().put("PrefixListId", id).put("PrefixListName", name);
        ArrayNode c = p.putArray("Cidrs");
        Arrays.stream(cidrs).forEach(c::add);
        replace("PrefixLists", "PrefixListId", p);
        return this;
    }

    /** A customer-managed list from {@code describe-managed-prefix-lists} and its entries. */
    TestNetwork managedPrefixList(String id, String name, String... cidrs) {
        ObjectNode p =
                JSON.createObjectNode()
                        .put("PrefixListId", id)
                        .put("AddressFamily", "IPv4")
                        .put("State", "create-complete")
                        .put("PrefixListName", name)
                        .put("MaxEntries", 10)
                        .put("Version", 1)
                        .put("OwnerId", ACCOUNT);
        replace("ManagedPrefixLists", "PrefixListId", p);
        return prefixListEntries(id, cidrs);
    }

    /** {@code get-managed-prefix-list-entries} output for a list. */
    TestNetwork prefixListEntries(String id, String... cidrs) {
        entries.put(id, List.of(cidrs));
        return this;
    }

    TestNetwork interfaceEndpoint(String endpointId, String vpcId, String service, String eniId) {
        ObjectNode e =
                JSON.createObjectNode()
                        .put("VpcEndpointId", endpointId)
                        .put("VpcEndpointType", "Interface")
                        .put("VpcId", vpcId)
                        .put("ServiceName", service)
                        .put("State", "available");
        e.putArray("NetworkInterfaceIds").add(eniId);
        replace("VpcEndpoints", "VpcEndpointId", e);
        return this;
    }

    TestNetwork peering(
            String peeringId,
            String requesterVpc,
            String requesterCidr,
            String accepterVpc,
            String accepterCidr,
            String status) {
        ObjectNode p = JSON.createObjectNode().put("VpcPeeringConnectionId", peeringId);
        p.putObject("RequesterVpcInfo")
                .put("OwnerId", ACCOUNT)
                .put("VpcId", requesterVpc)
                .put("Region", "us-east-1")
                .put("CidrBlock", requesterCidr);
        p.putObject("AccepterVpcInfo")
                .put("OwnerId", "444455556666")
                .put("VpcId", accepterVpc)
                .put("Region", "us-east-1")
                .put("CidrBlock", accepterCidr);
        p.putObject("Status").put("Code", status);
        replace("VpcPeeringConnections", "VpcPeeringConnectionId", p);
        return this;
    }

    /**
     * A route table; routes are {@code destination -> target} pairs, e.g. {@code "0.0.0.0/0",
     * "igw-1"}.
     */
    TestNetwork routeTable(
            String tableId, String vpcId, boolean main, List<String> subnets, String... routes) {
        ObjectNode t = JSON.createObjectNode().put("RouteTableId", tableId).put("VpcId", vpcId);
        ArrayNode assoc = t.putArray("Associations");
        if (main) {
            assoc.addObject().put("Main", true).put("RouteTableId", tableId);
        }
        for (String s : subnets) {
            assoc.addObject().put("Main", false).put("RouteTableId", tableId).put("SubnetId", s);
        }
        ArrayNode r = t.putArray("Routes");
        for (int i = 0; i < routes.length; i += 2) {
            ObjectNode route = r.addObject();
            String destination = routes[i];
            String target = routes[i + 1];
            route.put(
                    destination.startsWith("pl-")
                            ? "DestinationPrefixListId"
                            : destination.contains(":")
                                    ? "DestinationIpv6CidrBlock"
                                    : "DestinationCidrBlock",
                    destination);
            String key =
                    target.startsWith("nat-")
                            ? "NatGatewayId"
                            : target.startsWith("pcx-")
                                    ? "VpcPeeringConnectionId"
                                    : target.startsWith("tgw-")
                                            ? "TransitGatewayId"
                                            : target.startsWith("eigw-")
                                                    ? "EgressOnlyInternetGatewayId"
                                                    : "GatewayId";
            route.put(key, target).put("State", "active");
        }
        replace("RouteTables", "RouteTableId", t);
        return this;
    }

    // ---- out

    /** The documents by snapshot key, as raw JSON. */
    Map<String, String> documents() {
        Map<String, String> out = new TreeMap<>();
        documents.forEach(
                (key, items) -> {
                    ObjectNode doc = JSON.createObjectNode();
                    String arrayKey = key.equals("ManagedPrefixLists") ? "PrefixLists" : key;
                    ArrayNode array = doc.putArray(arrayKey);
                    items.forEach(array::add);
                    out.put(key, doc.toString());
                });
        entries.forEach(
                (id, cidrs) -> {
                    ObjectNode doc = JSON.createObjectNode().put("PrefixListId", id);
                    ArrayNode array = doc.putArray("Entries");
                    cidrs.forEach(c -> array.addObject().put("Cidr", c));
                    out.put("PrefixListEntries:" + id, doc.toString());
                });
        return out;
    }

    /** All documents, in force from {@code effectiveFromMillis}. */
    ConfigSnapshot snapshot(long effectiveFromMillis) {
        return new ConfigSnapshot(effectiveFromMillis, "test@" + effectiveFromMillis, documents());
    }

    /** Only the documents of these keys: a partial snapshot. */
    ConfigSnapshot partialSnapshot(long effectiveFromMillis, String... keys) {
        Map<String, String> all = documents();
        Map<String, String> some = new TreeMap<>();
        for (String k : keys) {
            some.put(k, all.get(k));
        }
        return new ConfigSnapshot(effectiveFromMillis, "test@" + effectiveFromMillis, some);
    }

    NetworkIndex index() {
        return NetworkIndex.build(snapshot(ConfigSnapshot.BEGINNING_OF_TIME));
    }

    FlowEvaluator evaluator() {
        return new FlowEvaluator(index());
    }
}
