package io.flowtrail.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.generate.Topology.Eni;
import io.flowtrail.generate.Topology.Group;
import io.flowtrail.generate.Topology.Role;
import io.flowtrail.generate.Topology.Rule;
import io.flowtrail.generate.Topology.Subnet;
import io.flowtrail.generate.Topology.Vpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The network configuration as {@code aws ec2 describe-*} prints it, in the snapshot layout that
 * {@code replay --config} reads ({@link io.flowtrail.parse.ConfigSnapshotReader}): {@code
 * config/<instant>/describe-*.json}. The baseline snapshot, in force from an hour before the
 * generated range, has every document and no posture finding. Each configuration incident adds a
 * snapshot at its time holding only the documents it changes, cumulatively: a new security group
 * open to the world, open on every port or referencing a group that does not exist; a network-ACL
 * entry that an earlier entry shadows; a peering connection to a VPC whose blocks overlap.
 */
final class ConfigWriter {
    static final String S3_PREFIX_LIST = "pl-63a5400a";
    static final String[] S3_CIDRS = {
        "3.5.0.0/19",
        "16.15.176.0/20",
        "16.182.0.0/16",
        "18.34.0.0/19",
        "18.34.232.0/21",
        "52.95.128.0/21",
        "52.216.0.0/15",
        "54.231.0.0/16"
    };
    static final String PEER_ACCOUNT = "444455556666";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Topology topo;
    private final Rng rng;
    private final List<Incident> incidents;

    ConfigWriter(Topology topo, Rng rng, List<Incident> all) {
        this.topo = topo;
        this.rng = rng;
        this.incidents =
                all.stream().filter(i -> i.kind.source == IncidentKind.Source.CONFIG).toList();
    }

    /** Writes the snapshots under {@code root/config}; returns the number of snapshot folders. */
    int write(Path root, long startSeconds) {
        Path config = root.resolve("config");
        long baseline = startSeconds - 3600;
        Path base = config.resolve(Instant.ofEpochSecond(baseline).toString());
        // Ids of the associations and the like, drawn once so that rewrites keep them.
        ObjectNode vpcs = vpcs();
        write(base, "describe-vpcs.json", vpcs);
        write(base, "describe-subnets.json", subnets());
        write(base, "describe-route-tables.json", routeTables());
        write(base, "describe-network-acls.json", networkAcls(Long.MIN_VALUE));
        write(base, "describe-security-groups.json", securityGroups(Long.MIN_VALUE));
        write(base, "describe-network-interfaces.json", networkInterfaces());
        write(base, "describe-vpc-endpoints.json", vpcEndpoints());
        write(base, "describe-prefix-lists.json", prefixLists());
        TreeMap<Long, List<Incident>> byTime = new TreeMap<>();
        for (Incident i : incidents) {
            byTime.computeIfAbsent(i.time, t -> new ArrayList<>()).add(i);
        }
        for (var e : byTime.entrySet()) {
            Path dir = config.resolve(Instant.ofEpochSecond(e.getKey()).toString());
            boolean groups = false;
            boolean acls = false;
            boolean peerings = false;
            for (Incident i : e.getValue()) {
                switch (i.kind) {
                    case NACL_SHADOWED_RULE:
                        acls = true;
                        break;
                    case PEERING_CIDR_OVERLAP:
                        peerings = true;
                        break;
                    default:
                        groups = true;
                }
            }
            if (groups) {
                write(dir, "describe-security-groups.json", securityGroups(e.getKey()));
            }
            if (acls) {
                write(dir, "describe-network-acls.json", networkAcls(e.getKey()));
            }
            if (peerings) {
                write(dir, "describe-vpc-peering-connections.json", peerings(e.getKey()));
            }
        }
        return 1 + byTime.size();
    }

    private static void write(Path dir, String name, ObjectNode doc) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(name).toFile(), doc);
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(name) + ": cannot write", e);
        }
    }

    private static ObjectNode doc(String key, ArrayNode[] out) {
        ObjectNode root = JSON.createObjectNode();
        out[0] = root.putArray(key);
        return root;
    }

    private static ArrayNode tags(ObjectNode n, String key, String name) {
        ArrayNode tags = n.putArray(key);
        tags.addObject().put("Key", "Name").put("Value", name);
        return tags;
    }

    // ---- VPCs, subnets, routes

    private ObjectNode vpcs() {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("Vpcs", list);
        for (Vpc v : topo.vpcs) {
            ObjectNode n = list[0].addObject();
            n.put("CidrBlock", v.v4Cidr());
            ObjectNode a = n.putArray("CidrBlockAssociationSet").addObject();
            a.put("AssociationId", rng.hexId("vpc-cidr-assoc-"));
            a.put("CidrBlock", v.v4Cidr());
            a.putObject("CidrBlockState").put("State", "associated");
            ObjectNode a6 = n.putArray("Ipv6CidrBlockAssociationSet").addObject();
            a6.put("AssociationId", rng.hexId("vpc-cidr-assoc-"));
            a6.put("Ipv6CidrBlock", v.v6Cidr());
            a6.putObject("Ipv6CidrBlockState").put("State", "associated");
            a6.put("Ipv6Pool", "Amazon");
            a6.put("NetworkBorderGroup", Topology.REGION);
            n.put("DhcpOptionsId", rng.hexId("dopt-"));
            n.put("InstanceTenancy", "default");
            n.put("IsDefault", false);
            n.put("OwnerId", Topology.ACCOUNT);
            n.put("State", "available");
            tags(n, "Tags", v.name);
            n.put("VpcId", v.id);
        }
        return root;
    }

    private ObjectNode subnets() {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("Subnets", list);
        for (Vpc v : topo.vpcs) {
            for (Subnet s : v.subnets) {
                ObjectNode n = list[0].addObject();
                n.put("AvailabilityZone", Topology.AZ[s.az]);
                n.put("AvailabilityZoneId", Topology.AZ_ID[s.az]);
                n.put("CidrBlock", s.v4Cidr());
                ObjectNode a = n.putArray("Ipv6CidrBlockAssociationSet").addObject();
                a.put("AssociationId", rng.hexId("subnet-cidr-assoc-"));
                a.put("Ipv6CidrBlock", s.v6Cidr());
                a.putObject("Ipv6CidrBlockState").put("State", "associated");
                n.put("MapPublicIpOnLaunch", s.isPublic());
                n.put("OwnerId", Topology.ACCOUNT);
                n.put("State", "available");
                n.put(
                        "SubnetArn",
                        "arn:aws:ec2:"
                                + Topology.REGION
                                + ":"
                                + Topology.ACCOUNT
                                + ":subnet/"
                                + s.id);
                n.put("SubnetId", s.id);
                tags(n, "Tags", s.name);
                n.put("VpcId", v.id);
            }
        }
        return root;
    }

    private ObjectNode routeTables() {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("RouteTables", list);
        for (Vpc v : topo.vpcs) {
            ObjectNode main = table(list[0], v, v.mainRouteTableId, v.name + "-main");
            association(main, v.mainRouteTableId, null, true);
            local(main.withArray("Routes"), v);
            ObjectNode pub =
                    table(
                            list[0],
                            v,
                            v.subnets[Topology.PUBLIC_A].routeTableId,
                            v.name + "-public");
            association(pub, v.subnets[0].routeTableId, v.subnets[0].id, false);
            association(pub, v.subnets[1].routeTableId, v.subnets[1].id, false);
            ArrayNode routes = pub.withArray("Routes");
            local(routes, v);
            routes.addObject()
                    .put("DestinationCidrBlock", "0.0.0.0/0")
                    .put("GatewayId", v.igwId)
                    .put("Origin", "CreateRoute")
                    .put("State", "active");
            routes.addObject()
                    .put("DestinationIpv6CidrBlock", "::/0")
                    .put("GatewayId", v.igwId)
                    .put("Origin", "CreateRoute")
                    .put("State", "active");
            for (int k = Topology.APP_A; k <= Topology.DATA_B; k++) {
                Subnet s = v.subnets[k];
                ObjectNode t = table(list[0], v, s.routeTableId, s.name);
                association(t, s.routeTableId, s.id, false);
                ArrayNode r = t.withArray("Routes");
                local(r, v);
                r.addObject()
                        .put("DestinationCidrBlock", "0.0.0.0/0")
                        .put("NatGatewayId", v.natGatewayIds[s.az])
                        .put("Origin", "CreateRoute")
                        .put("State", "active");
                r.addObject()
                        .put("DestinationIpv6CidrBlock", "::/0")
                        .put("EgressOnlyInternetGatewayId", v.eigwId)
                        .put("Origin", "CreateRoute")
                        .put("State", "active");
                if (s.isData()) {
                    r.addObject()
                            .put("DestinationPrefixListId", S3_PREFIX_LIST)
                            .put("GatewayId", v.s3EndpointId)
                            .put("Origin", "CreateRoute")
                            .put("State", "active");
                }
            }
        }
        return root;
    }

    private ObjectNode table(ArrayNode list, Vpc v, String id, String name) {
        ObjectNode t = list.addObject();
        t.putArray("Associations");
        t.put("OwnerId", Topology.ACCOUNT);
        t.putArray("PropagatingVgws");
        t.put("RouteTableId", id);
        t.putArray("Routes");
        tags(t, "Tags", name);
        t.put("VpcId", v.id);
        return t;
    }

    private void association(ObjectNode table, String tableId, String subnetId, boolean main) {
        ObjectNode a = table.withArray("Associations").addObject();
        a.putObject("AssociationState").put("State", "associated");
        a.put("Main", main);
        a.put("RouteTableAssociationId", rng.hexId("rtbassoc-"));
        a.put("RouteTableId", tableId);
        if (subnetId != null) {
            a.put("SubnetId", subnetId);
        }
    }

    private static void local(ArrayNode routes, Vpc v) {
        routes.addObject()
                .put("DestinationCidrBlock", v.v4Cidr())
                .put("GatewayId", "local")
                .put("Origin", "CreateRouteTable")
                .put("State", "active");
        routes.addObject()
                .put("DestinationIpv6CidrBlock", v.v6Cidr())
                .put("GatewayId", "local")
                .put("Origin", "CreateRouteTable")
                .put("State", "active");
    }

    // ---- network ACLs

    private ObjectNode networkAcls(long asOf) {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("NetworkAcls", list);
        for (Vpc v : topo.vpcs) {
            ObjectNode def = acl(list[0], v, v.defaultAclId, true, v.name + "-default");
            for (int k = Topology.PUBLIC_A; k <= Topology.APP_B; k++) {
                aclAssociation(def, v.defaultAclId, v.subnets[k].id, v.index, k);
            }
            ArrayNode e = def.withArray("Entries");
            for (boolean egress : new boolean[] {true, false}) {
                entry(e, 100, egress, "allow", "-1", "0.0.0.0/0", -1, -1, -1, -1);
                entry(e, 101, egress, "allow", "-1", "::/0", -1, -1, -1, -1);
                star(e, egress);
            }
            for (int k = Topology.DATA_A; k <= Topology.DATA_B; k++) {
                Subnet s = v.subnets[k];
                ObjectNode a = acl(list[0], v, s.aclId, false, s.name);
                aclAssociation(a, s.aclId, s.id, v.index, k);
                ArrayNode x = a.withArray("Entries");
                // Outbound: the VPC, and HTTPS anywhere (S3, the internet through NAT).
                entry(x, 100, true, "allow", "-1", v.v4Cidr(), -1, -1, -1, -1);
                entry(x, 101, true, "allow", "-1", v.v6Cidr(), -1, -1, -1, -1);
                entry(x, 110, true, "allow", "6", "0.0.0.0/0", 443, 443, -1, -1);
                entry(x, 111, true, "allow", "6", "::/0", 443, 443, -1, -1);
                star(x, true);
                // Inbound: the VPC, replies on ephemeral ports, path-MTU discovery.
                entry(x, 100, false, "allow", "-1", v.v4Cidr(), -1, -1, -1, -1);
                entry(x, 101, false, "allow", "-1", v.v6Cidr(), -1, -1, -1, -1);
                entry(x, 110, false, "allow", "6", "0.0.0.0/0", 1024, 65535, -1, -1);
                entry(x, 111, false, "allow", "6", "::/0", 1024, 65535, -1, -1);
                entry(x, 120, false, "allow", "1", "0.0.0.0/0", -1, -1, 3, 4);
                entry(x, 121, false, "allow", "58", "::/0", -1, -1, 2, 0);
                if (v.index == 0 && k == Topology.DATA_A) {
                    for (Incident i : incidents) {
                        if (i.kind == IncidentKind.NACL_SHADOWED_RULE && i.time <= asOf) {
                            // Already allowed by entry 100 (the whole VPC): it never matches.
                            entry(
                                    x,
                                    i.port,
                                    false,
                                    "allow",
                                    "6",
                                    v.subnets[Topology.APP_A].v4Cidr(),
                                    5432,
                                    5432,
                                    -1,
                                    -1);
                        }
                    }
                }
                star(x, false);
            }
        }
        return root;
    }

    private ObjectNode acl(ArrayNode list, Vpc v, String id, boolean isDefault, String name) {
        ObjectNode a = list.addObject();
        a.putArray("Associations");
        a.putArray("Entries");
        a.put("IsDefault", isDefault);
        a.put("NetworkAclId", id);
        a.put("OwnerId", Topology.ACCOUNT);
        tags(a, "Tags", name);
        a.put("VpcId", v.id);
        return a;
    }

    private static void aclAssociation(
            ObjectNode acl, String aclId, String subnetId, int vpc, int kind) {
        ObjectNode a = acl.withArray("Associations").addObject();
        // Stable across rewrites of the document: derived, not drawn.
        a.put(
                "NetworkAclAssociationId",
                "aclassoc-0" + String.format("%016x", Ip.mix(vpc * 16L + kind + 0x5eedL)));
        a.put("NetworkAclId", aclId);
        a.put("SubnetId", subnetId);
    }

    private static void entry(
            ArrayNode entries,
            int rule,
            boolean egress,
            String action,
            String protocol,
            String cidr,
            int from,
            int to,
            int icmpType,
            int icmpCode) {
        ObjectNode e = entries.addObject();
        e.put(cidr.contains(":") ? "Ipv6CidrBlock" : "CidrBlock", cidr);
        e.put("Egress", egress);
        if (icmpType >= 0) {
            e.putObject("IcmpTypeCode").put("Code", icmpCode).put("Type", icmpType);
        }
        if (from >= 0) {
            e.putObject("PortRange").put("From", from).put("To", to);
        }
        e.put("Protocol", protocol);
        e.put("RuleAction", action);
        e.put("RuleNumber", rule);
    }

    private static void star(ArrayNode e, boolean egress) {
        entry(e, 32767, egress, "deny", "-1", "0.0.0.0/0", -1, -1, -1, -1);
        entry(e, 32768, egress, "deny", "-1", "::/0", -1, -1, -1, -1);
    }

    // ---- security groups

    private ObjectNode securityGroups(long asOf) {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("SecurityGroups", list);
        for (Vpc v : topo.vpcs) {
            group(list[0], v.defaultGroup);
            for (Group g : v.groups.values()) {
                group(list[0], g);
            }
        }
        Vpc v0 = topo.vpcs.get(0);
        for (Incident i : incidents) {
            if (i.time > asOf || i.groupId == null) {
                continue;
            }
            Group g = new Group();
            g.id = i.groupId;
            g.vpcId = v0.id;
            Rule r;
            switch (i.kind) {
                case SG_OPEN_ADMIN_PORT:
                    g.name = v0.name + "-legacy-admin-" + (i.index + 1);
                    g.description = "Temporary admin access";
                    r =
                            new Rule(
                                    "tcp",
                                    i.port,
                                    i.port,
                                    i.port == 22 ? "SSH for the vendor" : "RDP for the vendor");
                    r.v4.add("0.0.0.0/0");
                    break;
                case SG_OPEN_ALL_PORTS:
                    g.name = v0.name + "-debug-" + (i.index + 1);
                    g.description = "Debugging, remove after";
                    r = new Rule("-1", -1, -1, "everything while debugging");
                    r.v4.add("0.0.0.0/0");
                    r.v6.add("::/0");
                    break;
                default:
                    g.name = v0.name + "-reports-" + (i.index + 1);
                    g.description = "Reporting service";
                    r = new Rule("tcp", 8443, 8443, "from the reporting clients");
                    // A group deleted since: the reference matches nothing.
                    r.groups.add(
                            "sg-0" + String.format("%016x", Ip.mix(i.groupId.hashCode() + 77L)));
            }
            g.ingress.add(r);
            group(list[0], g);
        }
        return root;
    }

    private static void group(ArrayNode list, Group g) {
        ObjectNode n = list.addObject();
        if (g.description != null) {
            n.put("Description", g.description);
        }
        n.put("GroupId", g.id);
        n.put("GroupName", g.name);
        ArrayNode in = n.putArray("IpPermissions");
        for (Rule r : g.ingress) {
            ObjectNode p = in.addObject();
            if (r.from >= 0 || r.protocol.startsWith("icmp")) {
                p.put("FromPort", r.from);
            }
            p.put("IpProtocol", r.protocol);
            ArrayNode v4 = p.putArray("IpRanges");
            for (String c : r.v4) {
                ObjectNode x = v4.addObject().put("CidrIp", c);
                if (r.description != null) {
                    x.put("Description", r.description);
                }
            }
            ArrayNode v6 = p.putArray("Ipv6Ranges");
            for (String c : r.v6) {
                ObjectNode x = v6.addObject().put("CidrIpv6", c);
                if (r.description != null) {
                    x.put("Description", r.description);
                }
            }
            p.putArray("PrefixListIds");
            if (r.from >= 0 || r.protocol.startsWith("icmp")) {
                p.put("ToPort", r.to);
            }
            ArrayNode pairs = p.putArray("UserIdGroupPairs");
            for (String ref : r.groups) {
                ObjectNode x = pairs.addObject().put("GroupId", ref);
                x.put("UserId", Topology.ACCOUNT);
                if (r.description != null) {
                    x.put("Description", r.description);
                }
            }
        }
        ObjectNode out = n.putArray("IpPermissionsEgress").addObject();
        out.put("IpProtocol", "-1");
        out.putArray("IpRanges").addObject().put("CidrIp", "0.0.0.0/0");
        out.putArray("Ipv6Ranges").addObject().put("CidrIpv6", "::/0");
        out.putArray("PrefixListIds");
        out.putArray("UserIdGroupPairs");
        n.put("OwnerId", Topology.ACCOUNT);
        n.put(
                "SecurityGroupArn",
                "arn:aws:ec2:"
                        + Topology.REGION
                        + ":"
                        + Topology.ACCOUNT
                        + ":security-group/"
                        + g.id);
        tags(n, "Tags", g.name);
        n.put("VpcId", g.vpcId);
    }

    // ---- interfaces

    private ObjectNode networkInterfaces() {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("NetworkInterfaces", list);
        for (Eni e : topo.enis) {
            ObjectNode n = list[0].addObject();
            String publicIp = e.publicV4 >= 0 ? Ip.v4Text(e.publicV4) : null;
            if (publicIp != null) {
                n.putObject("Association")
                        .put("IpOwnerId", e.role == Role.ALB ? "amazon-elb" : Topology.ACCOUNT)
                        .put("PublicIp", publicIp);
            }
            ObjectNode att = n.putObject("Attachment");
            att.put(
                    "AttachmentId",
                    rng.hexId(e.instanceId == null ? "ela-attach-" : "eni-attach-"));
            att.put("DeleteOnTermination", e.instanceId != null);
            att.put("DeviceIndex", e.instanceId == null ? 1 : 0);
            if (e.instanceId != null) {
                att.put("InstanceId", e.instanceId);
                att.put("InstanceOwnerId", Topology.ACCOUNT);
            } else {
                att.put("InstanceOwnerId", e.role == Role.ALB ? "amazon-elb" : "amazon-aws");
            }
            att.put("Status", "attached");
            n.put("AvailabilityZone", Topology.AZ[e.az()]);
            String description;
            switch (e.role) {
                case NAT:
                    description = "Interface for NAT Gateway " + e.vpc.natGatewayIds[e.az()];
                    break;
                case ALB:
                    description = "ELB app/" + e.vpc.name + "-web/" + e.vpc.id.substring(5, 21);
                    break;
                default:
                    description = "";
            }
            n.put("Description", description);
            ArrayNode groups = n.putArray("Groups");
            if (e.role != Role.NAT) {
                Group g = e.vpc.groups.get(e.role);
                groups.addObject().put("GroupId", g.id).put("GroupName", g.name);
            }
            n.put("InterfaceType", e.role == Role.NAT ? "nat_gateway" : "interface");
            ArrayNode v6 = n.putArray("Ipv6Addresses");
            if (e.hasV6) {
                v6.addObject().put("Ipv6Address", Ip.text(Ip.V6, e.v6Hi, e.v6Lo));
            }
            n.put("NetworkInterfaceId", e.id);
            n.put("OwnerId", Topology.ACCOUNT);
            String v4 = Ip.v4Text(e.v4);
            n.put("PrivateIpAddress", v4);
            ObjectNode p = n.putArray("PrivateIpAddresses").addObject();
            p.put("Primary", true);
            p.put("PrivateIpAddress", v4);
            if (e.role == Role.NAT) {
                n.put("RequesterId", "036872051663");
            } else if (e.role == Role.ALB) {
                n.put("RequesterId", "amazon-elb");
            }
            n.put("RequesterManaged", e.managed());
            n.put("SourceDestCheck", e.role != Role.NAT);
            n.put("Status", "in-use");
            n.put("SubnetId", e.subnet.id);
            ArrayNode tags = n.putArray("TagSet");
            if (e.instanceId != null) {
                tags.addObject().put("Key", "Name").put("Value", e.name);
            }
            n.put("VpcId", e.vpc.id);
        }
        return root;
    }

    // ---- endpoints, prefix lists, peerings

    private ObjectNode vpcEndpoints() {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("VpcEndpoints", list);
        for (Vpc v : topo.vpcs) {
            ObjectNode n = list[0].addObject();
            n.putArray("Groups");
            n.putArray("NetworkInterfaceIds");
            n.put("OwnerId", Topology.ACCOUNT);
            ArrayNode tables = n.putArray("RouteTableIds");
            tables.add(v.subnets[Topology.DATA_A].routeTableId);
            tables.add(v.subnets[Topology.DATA_B].routeTableId);
            n.put("ServiceName", "com.amazonaws." + Topology.REGION + ".s3");
            n.put("State", "available");
            n.putArray("SubnetIds");
            n.put("VpcEndpointId", v.s3EndpointId);
            n.put("VpcEndpointType", "Gateway");
            n.put("VpcId", v.id);
        }
        return root;
    }

    private static ObjectNode prefixLists() {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("PrefixLists", list);
        ObjectNode n = list[0].addObject();
        ArrayNode cidrs = n.putArray("Cidrs");
        for (String c : S3_CIDRS) {
            cidrs.add(c);
        }
        n.put("PrefixListId", S3_PREFIX_LIST);
        n.put("PrefixListName", "com.amazonaws." + Topology.REGION + ".s3");
        return root;
    }

    private ObjectNode peerings(long asOf) {
        ArrayNode[] list = new ArrayNode[1];
        ObjectNode root = doc("VpcPeeringConnections", list);
        Vpc v0 = topo.vpcs.get(0);
        for (Incident i : incidents) {
            if (i.kind != IncidentKind.PEERING_CIDR_OVERLAP || i.time > asOf) {
                continue;
            }
            ObjectNode n = list[0].addObject();
            ObjectNode acc = n.putObject("AccepterVpcInfo");
            // The partner's VPC grew a secondary block that overlaps this VPC's.
            String primary = "172." + (16 + i.index % 16) + ".0.0/16";
            acc.put("CidrBlock", primary);
            ArrayNode set = acc.putArray("CidrBlockSet");
            set.addObject().put("CidrBlock", primary);
            set.addObject()
                    .put("CidrBlock", Ip.v4Text(v0.v4Base + (128L << 8) + (i.index << 12)) + "/20");
            acc.put("OwnerId", PEER_ACCOUNT);
            acc.put("Region", Topology.REGION);
            acc.put("VpcId", "vpc-0" + String.format("%016x", Ip.mix(i.index + 991L)));
            n.putObject("RequesterVpcInfo")
                    .put("CidrBlock", v0.v4Cidr())
                    .put("OwnerId", Topology.ACCOUNT)
                    .put("Region", Topology.REGION)
                    .put("VpcId", v0.id)
                    .putArray("CidrBlockSet")
                    .addObject()
                    .put("CidrBlock", v0.v4Cidr());
            n.putObject("Status").put("Code", "active").put("Message", "Active");
            tags(n, "Tags", v0.name + "-to-partner-" + (i.index + 1));
            n.put("VpcPeeringConnectionId", i.entity);
        }
        return root;
    }
}
