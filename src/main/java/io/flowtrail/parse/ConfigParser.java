package io.flowtrail.parse;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddress;
import io.flowtrail.model.IpAddresses;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads one JSON document printed by {@code aws ec2 describe-*} ({@link DocumentKind} lists them)
 * into {@link NetworkConfig} objects.
 *
 * <p>A document is recognised by its top-level key, never by its file name. Beside that key only
 * {@code NextToken} and {@code ResponseMetadata} may appear (a page of paginated output, boto3's
 * envelope). Two commands print {@code PrefixLists}: elements with {@code Cidrs} are {@code
 * describe-prefix-lists} (AWS service lists); otherwise, or when the list is empty, {@code
 * describe-managed-prefix-lists}. The one exception to "never by file name" is {@code
 * get-managed-prefix-list-entries}, whose {@code {"Entries": [...]}} does not name its list: the id
 * comes from a top-level {@code PrefixListId} key added to the document, else from a file name that
 * starts with the id ({@code pl-0abc1234.json}).
 *
 * <p>Keys inside objects that Flowtrail does not use are ignored (AWS adds keys over time); keys it
 * uses are checked for type and value. Protocols are accepted as names ({@code tcp}, {@code udp},
 * {@code icmp}, {@code icmpv6}, case-insensitive) or numbers, as strings or JSON numbers; {@code
 * -1} is every protocol. CIDR blocks with host bits set are accepted and normalised, as AWS does.
 *
 * <p>Every problem is a {@link ConfigException} naming the file, the JSON path and what was
 * expected. Not on the per-record path: configuration is small, so this uses Jackson's tree model.
 */
public final class ConfigParser {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> ENVELOPE_KEYS = Set.of("NextToken", "ResponseMetadata");
    private static final Pattern PREFIX_LIST_FILE =
            Pattern.compile("^(pl-[0-9a-zA-Z]+)(?![0-9a-zA-Z-])");

    private ConfigParser() {}

    /** Reads and parses a {@code .json} or {@code .json.gz} file; the path names it in errors. */
    public static ConfigDocument parse(Path file) {
        return parse(file.toString(), readText(file));
    }

    /** The text of a {@code .json} or {@code .json.gz} file (UTF-8). */
    public static String readText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            InputStream body =
                    file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), null, "cannot read: " + e, e);
        }
    }

    /** Reads a JSON document of {@code source} (duplicate keys refused). */
    static JsonNode readTree(String source, byte[] text) {
        return readTree(source, () -> MAPPER.readTree(text));
    }

    private interface JsonRead {
        JsonNode read() throws IOException;
    }

    /** Runs a read; broken JSON is a {@link ConfigException} naming the line and column. */
    private static JsonNode readTree(String source, JsonRead read) {
        try {
            return read.read();
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new ConfigException(
                    source,
                    null,
                    "not valid JSON: "
                            + e.getOriginalMessage()
                            + (where == null
                                    ? ""
                                    : " (line "
                                            + where.getLineNr()
                                            + ", column "
                                            + where.getColumnNr()
                                            + ")"),
                    e);
        } catch (IOException e) {
            throw new ConfigException(source, null, "unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a document.
     *
     * @param source the file as the user named it: the start of every error message, and (its last
     *     path segment) what names the prefix list of an {@code Entries} document without a {@code
     *     PrefixListId} key
     */
    public static ConfigDocument parse(String source, String text) {
        JsonNode root = readTree(source, () -> MAPPER.readTree(text));
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(source, null, "empty: expected a describe-* JSON document");
        }
        At at = new At(source, root, "$");
        if (!root.isObject()) {
            throw at.error("a JSON object such as {\"SecurityGroups\": [...]}");
        }
        DocumentKind kind = recognise(at);
        NetworkConfig.Builder out = new NetworkConfig.Builder();
        String key = kind.key();
        String json = text;
        switch (kind) {
            case SECURITY_GROUPS:
                for (At g : at.array("SecurityGroups")) {
                    out.securityGroups.add(securityGroup(g));
                }
                break;
            case SECURITY_GROUP_RULES:
                out.securityGroupsFromRules.addAll(securityGroupRules(at));
                break;
            case NETWORK_ACLS:
                for (At a : at.array("NetworkAcls")) {
                    out.networkAcls.add(networkAcl(a));
                }
                break;
            case NETWORK_INTERFACES:
                for (At n : at.array("NetworkInterfaces")) {
                    out.networkInterfaces.add(networkInterface(n));
                }
                break;
            case SUBNETS:
                for (At s : at.array("Subnets")) {
                    out.subnets.add(subnet(s));
                }
                break;
            case ROUTE_TABLES:
                for (At t : at.array("RouteTables")) {
                    out.routeTables.add(routeTable(t));
                }
                break;
            case VPCS:
                for (At v : at.array("Vpcs")) {
                    out.vpcs.add(vpc(v));
                }
                break;
            case VPC_ENDPOINTS:
                for (At e : at.array("VpcEndpoints")) {
                    out.vpcEndpoints.add(vpcEndpoint(e));
                }
                break;
            case PREFIX_LISTS:
            case MANAGED_PREFIX_LISTS:
                for (At p : at.array("PrefixLists")) {
                    out.prefixLists.add(prefixList(p, kind == DocumentKind.PREFIX_LISTS));
                }
                break;
            case VPC_PEERING_CONNECTIONS:
                for (At p : at.array("VpcPeeringConnections")) {
                    out.peeringConnections.add(peering(p));
                }
                break;
            case PREFIX_LIST_ENTRIES:
                String id = entriesListId(at, source);
                key = DocumentKind.entriesKey(id);
                List<Cidr> cidrs = new ArrayList<>();
                for (At e : at.array("Entries")) {
                    cidrs.add(e.cidr("Cidr", IpAddresses.NONE));
                }
                out.prefixListEntries.put(id, cidrs);
                if (!root.has("PrefixListId")) {
                    ObjectNode named = MAPPER.createObjectNode();
                    named.put("PrefixListId", id);
                    named.setAll((ObjectNode) root);
                    json = named.toString();
                }
                break;
            default:
                throw new AssertionError(kind);
        }
        return new ConfigDocument(kind, key, json, out.build());
    }

    private static DocumentKind recognise(At at) {
        Set<String> keys = new TreeSet<>();
        at.node.fieldNames().forEachRemaining(keys::add);
        DocumentKind found = null;
        for (String k : keys) {
            if (ENVELOPE_KEYS.contains(k)) {
                continue;
            }
            DocumentKind kind = byTopLevelKey(k);
            if (kind == null && !(k.equals("PrefixListId") && keys.contains("Entries"))) {
                found = null;
                break;
            }
            if (kind != null) {
                if (found != null) {
                    found = null;
                    break;
                }
                found = kind;
            }
        }
        if (found == null) {
            throw new ConfigException(
                    at.source,
                    null,
                    "not a describe-* document Flowtrail knows: top-level keys "
                            + keys
                            + " (expected one of SecurityGroups, SecurityGroupRules, NetworkAcls,"
                            + " NetworkInterfaces, Subnets, RouteTables, Vpcs, VpcEndpoints,"
                            + " PrefixLists, VpcPeeringConnections, Entries)");
        }
        if (found == DocumentKind.PREFIX_LISTS) {
            At lists = at.field("PrefixLists");
            if (!lists.node.isArray()) {
                throw lists.error("an array");
            }
            for (JsonNode element : lists.node) {
                if (element.has("Cidrs")) {
                    return DocumentKind.PREFIX_LISTS;
                }
            }
            return DocumentKind.MANAGED_PREFIX_LISTS;
        }
        return found;
    }

    private static DocumentKind byTopLevelKey(String key) {
        for (DocumentKind kind : DocumentKind.values()) {
            if (kind.topLevelKey().equals(key)) {
                return kind;
            }
        }
        return null;
    }

    private static String entriesListId(At at, String source) {
        String fromKey = at.optString("PrefixListId");
        String fileName = source.replace('\\', '/');
        fileName = fileName.substring(fileName.lastIndexOf('/') + 1);
        Matcher m = PREFIX_LIST_FILE.matcher(fileName);
        String fromName = m.find() ? m.group(1) : null;
        if (fromKey != null) {
            if (!fromKey.startsWith("pl-")) {
                throw at.field("PrefixListId").error("a prefix-list id like pl-0123456789abcdef0");
            }
            if (fromName != null && !fromName.equals(fromKey)) {
                throw at.field("PrefixListId")
                        .problem(
                                "names "
                                        + fromKey
                                        + " but the file is named after "
                                        + fromName
                                        + ": which list are these entries of?");
            }
            return fromKey;
        }
        if (fromName == null) {
            throw at.field("Entries")
                    .problem(
                            "get-managed-prefix-list-entries output does not name its prefix list:"
                                    + " name the file after the list (pl-0123456789abcdef0.json)"
                                    + " or add a top-level \"PrefixListId\"");
        }
        return fromName;
    }

    // ---- security groups

    private static SecurityGroup securityGroup(At g) {
        String groupId = g.id("GroupId", "sg-");
        List<SecurityGroupRule> ingress = new ArrayList<>();
        List<SecurityGroupRule> egress = new ArrayList<>();
        List<At> in = g.optArray("IpPermissions");
        for (int i = 0; i < in.size(); i++) {
            permission(in.get(i), groupId, false, groupId + "/ingress/" + i, ingress);
        }
        List<At> out = g.optArray("IpPermissionsEgress");
        for (int i = 0; i < out.size(); i++) {
            permission(out.get(i), groupId, true, groupId + "/egress/" + i, egress);
        }
        return new SecurityGroup(
                groupId,
                g.optString("GroupName"),
                g.optString("VpcId"),
                g.optString("OwnerId"),
                g.optString("Description"),
                ingress,
                egress);
    }

    private static void permission(
            At p, String groupId, boolean egress, String label, List<SecurityGroupRule> into) {
        int protocol = p.protocol("IpProtocol");
        int from = p.optInteger("FromPort", -1, -1, 65535);
        int to = p.optInteger("ToPort", -1, -1, 65535);
        checkPorts(p, protocol, from, to);
        Peer peer =
                (cidr, prefixListId, group, description) ->
                        into.add(
                                new SecurityGroupRule(
                                        groupId,
                                        egress,
                                        label,
                                        null,
                                        protocol,
                                        from,
                                        to,
                                        cidr,
                                        prefixListId,
                                        group,
                                        description));
        for (At r : p.optArray("IpRanges")) {
            peer.add(r.cidr("CidrIp", IpAddresses.V4), null, null, r.optString("Description"));
        }
        for (At r : p.optArray("Ipv6Ranges")) {
            peer.add(r.cidr("CidrIpv6", IpAddresses.V6), null, null, r.optString("Description"));
        }
        for (At r : p.optArray("PrefixListIds")) {
            peer.add(null, r.id("PrefixListId", "pl-"), null, r.optString("Description"));
        }
        for (At r : p.optArray("UserIdGroupPairs")) {
            peer.add(null, null, groupReference(r), r.optString("Description"));
        }
    }

    /** One peer of an {@code IpPermissions} entry: exactly one of CIDR, prefix list or group. */
    @FunctionalInterface
    private interface Peer {
        void add(
                Cidr cidr,
                String prefixListId,
                SecurityGroupRule.GroupReference group,
                String description);
    }

    private static SecurityGroupRule.GroupReference groupReference(At r) {
        return new SecurityGroupRule.GroupReference(
                r.id("GroupId", "sg-"),
                r.optString("UserId"),
                r.optString("VpcId"),
                r.optString("VpcPeeringConnectionId"),
                r.optString("PeeringStatus"));
    }

    private static void checkPorts(At p, int protocol, int from, int to) {
        if (Protocols.hasPorts(protocol)) {
            if ((from == -1) != (to == -1)) {
                throw p.field(from == -1 ? "FromPort" : "ToPort")
                        .problem("a TCP/UDP port range needs both FromPort and ToPort");
            }
            if (from > to) {
                throw p.field("ToPort")
                        .problem("expected ToPort >= FromPort " + from + ", got " + to);
            }
        } else if (Protocols.isIcmp(protocol)) {
            if (from > 255) {
                throw p.field("FromPort").problem("expected an ICMP type -1..255, got " + from);
            }
            if (to > 255) {
                throw p.field("ToPort").problem("expected an ICMP code -1..255, got " + to);
            }
        }
    }

    private static List<SecurityGroup> securityGroupRules(At at) {
        Map<String, String> owners = new LinkedHashMap<>();
        Map<String, List<SecurityGroupRule>> ingress = new LinkedHashMap<>();
        Map<String, List<SecurityGroupRule>> egress = new LinkedHashMap<>();
        for (At r : at.array("SecurityGroupRules")) {
            String ruleId = r.id("SecurityGroupRuleId", "sgr-");
            String groupId = r.id("GroupId", "sg-");
            boolean isEgress = r.bool("IsEgress");
            int protocol = r.protocol("IpProtocol");
            int from = r.optInteger("FromPort", -1, -1, 65535);
            int to = r.optInteger("ToPort", -1, -1, 65535);
            checkPorts(r, protocol, from, to);
            int peers = 0;
            Cidr cidr = null;
            String prefixList = null;
            SecurityGroupRule.GroupReference group = null;
            if (r.has("CidrIpv4")) {
                cidr = r.cidr("CidrIpv4", IpAddresses.V4);
                peers++;
            }
            if (r.has("CidrIpv6")) {
                cidr = r.cidr("CidrIpv6", IpAddresses.V6);
                peers++;
            }
            if (r.has("PrefixListId")) {
                prefixList = r.id("PrefixListId", "pl-");
                peers++;
            }
            if (r.has("ReferencedGroupInfo")) {
                group = groupReference(r.object("ReferencedGroupInfo"));
                peers++;
            }
            if (peers != 1) {
                throw r.problem(
                        "expected exactly one of CidrIpv4, CidrIpv6, PrefixListId,"
                                + " ReferencedGroupInfo, got "
                                + peers);
            }
            owners.putIfAbsent(groupId, r.optString("GroupOwnerId"));
            ingress.computeIfAbsent(groupId, k -> new ArrayList<>());
            egress.computeIfAbsent(groupId, k -> new ArrayList<>());
            (isEgress ? egress : ingress)
                    .get(groupId)
                    .add(
                            new SecurityGroupRule(
                                    groupId,
                                    isEgress,
                                    ruleId,
                                    ruleId,
                                    protocol,
                                    from,
                                    to,
                                    cidr,
                                    prefixList,
                                    group,
                                    r.optString("Description")));
        }
        List<SecurityGroup> groups = new ArrayList<>();
        for (Map.Entry<String, String> e : owners.entrySet()) {
            groups.add(
                    new SecurityGroup(
                            e.getKey(),
                            null,
                            null,
                            e.getValue(),
                            null,
                            ingress.get(e.getKey()),
                            egress.get(e.getKey())));
        }
        return groups;
    }

    // ---- network ACLs

    private static NetworkAcl networkAcl(At a) {
        String aclId = a.id("NetworkAclId", "acl-");
        List<String> subnets = new ArrayList<>();
        for (At s : a.optArray("Associations")) {
            if (s.has("SubnetId")) {
                subnets.add(s.id("SubnetId", "subnet-"));
            }
        }
        List<NaclEntry> entries = new ArrayList<>();
        for (At e : a.optArray("Entries")) {
            entries.add(naclEntry(e, aclId));
        }
        return new NetworkAcl(
                aclId,
                a.optString("VpcId"),
                a.optString("OwnerId"),
                a.optBoolean("IsDefault", false),
                subnets,
                entries);
    }

    private static NaclEntry naclEntry(At e, String aclId) {
        int number = e.integer("RuleNumber", 1, NaclEntry.DEFAULT_IPV6);
        int protocol = e.protocol("Protocol");
        String action = e.string("RuleAction").toLowerCase(Locale.ROOT);
        if (!action.equals("allow") && !action.equals("deny")) {
            throw e.field("RuleAction").error("\"allow\" or \"deny\"");
        }
        boolean egress = e.bool("Egress");
        boolean v4 = e.has("CidrBlock");
        boolean v6 = e.has("Ipv6CidrBlock");
        if (v4 == v6) {
            throw e.problem("expected exactly one of CidrBlock and Ipv6CidrBlock");
        }
        Cidr cidr =
                v4 ? e.cidr("CidrBlock", IpAddresses.V4) : e.cidr("Ipv6CidrBlock", IpAddresses.V6);
        int from = -1;
        int to = -1;
        if (e.has("PortRange")) {
            At range = e.object("PortRange");
            from = range.integer("From", 0, 65535);
            to = range.integer("To", 0, 65535);
            if (to < from) {
                throw range.field("To").problem("expected To >= From " + from + ", got " + to);
            }
        }
        int type = -1;
        int code = -1;
        if (e.has("IcmpTypeCode")) {
            At icmp = e.object("IcmpTypeCode");
            type = icmp.optInteger("Type", -1, -1, 255);
            code = icmp.optInteger("Code", -1, -1, 255);
        }
        return new NaclEntry(
                aclId,
                number,
                egress,
                action.equals("allow"),
                protocol,
                cidr,
                from,
                to,
                type,
                code);
    }

    // ---- interfaces, subnets, VPCs

    private static NetworkInterface networkInterface(At n) {
        String id = n.id("NetworkInterfaceId", "eni-");
        List<IpAddress> v4 = new ArrayList<>();
        String primary = n.optString("PrivateIpAddress");
        for (At a : n.optArray("PrivateIpAddresses")) {
            IpAddress address = a.address("PrivateIpAddress", IpAddresses.V4);
            if (a.optBoolean("Primary", false)) {
                v4.add(0, address);
            } else {
                v4.add(address);
            }
        }
        if (primary != null) {
            IpAddress address = n.address("PrivateIpAddress", IpAddresses.V4);
            v4.remove(address);
            v4.add(0, address);
        }
        List<IpAddress> v6 = new ArrayList<>();
        for (At a : n.optArray("Ipv6Addresses")) {
            v6.add(a.address("Ipv6Address", IpAddresses.V6));
        }
        List<String> groups = new ArrayList<>();
        for (At g : n.optArray("Groups")) {
            groups.add(g.id("GroupId", "sg-"));
        }
        String instance = null;
        if (n.has("Attachment")) {
            instance = n.object("Attachment").optString("InstanceId");
        }
        return new NetworkInterface(
                id,
                n.optString("SubnetId"),
                n.optString("VpcId"),
                n.optString("OwnerId"),
                v4,
                v6,
                groups,
                instance,
                n.optString("InterfaceType"),
                n.optBoolean("RequesterManaged", false),
                n.optString("Description"));
    }

    private static Subnet subnet(At s) {
        List<Cidr> cidrs = new ArrayList<>();
        if (s.has("CidrBlock")) {
            cidrs.add(s.cidr("CidrBlock", IpAddresses.V4));
        }
        for (At a : s.optArray("Ipv6CidrBlockAssociationSet")) {
            if (associated(a, "Ipv6CidrBlockState")) {
                cidrs.add(a.cidr("Ipv6CidrBlock", IpAddresses.V6));
            }
        }
        return new Subnet(
                s.id("SubnetId", "subnet-"),
                s.optString("VpcId"),
                s.optString("OwnerId"),
                cidrs,
                s.optString("AvailabilityZone"),
                s.optString("AvailabilityZoneId"));
    }

    private static Vpc vpc(At v) {
        List<Cidr> cidrs = new ArrayList<>();
        if (v.has("CidrBlock")) {
            cidrs.add(v.cidr("CidrBlock", IpAddresses.V4));
        }
        for (At a : v.optArray("CidrBlockAssociationSet")) {
            if (associated(a, "CidrBlockState")) {
                Cidr cidr = a.cidr("CidrBlock", IpAddresses.V4);
                if (!cidrs.contains(cidr)) {
                    cidrs.add(cidr);
                }
            }
        }
        for (At a : v.optArray("Ipv6CidrBlockAssociationSet")) {
            if (associated(a, "Ipv6CidrBlockState")) {
                cidrs.add(a.cidr("Ipv6CidrBlock", IpAddresses.V6));
            }
        }
        return new Vpc(
                v.id("VpcId", "vpc-"),
                v.optString("OwnerId"),
                v.optBoolean("IsDefault", false),
                cidrs);
    }

    /** An association without a state, or in state {@code associated}. */
    private static boolean associated(At a, String stateKey) {
        if (!a.has(stateKey)) {
            return true;
        }
        String state = a.object(stateKey).optString("State");
        return state == null || state.equalsIgnoreCase("associated");
    }

    // ---- routes, endpoints, prefix lists, peering

    private static final String[][] ROUTE_TARGETS = {
        {"GatewayId", null},
        {"NatGatewayId", "NAT_GATEWAY"},
        {"TransitGatewayId", "TRANSIT_GATEWAY"},
        {"VpcPeeringConnectionId", "VPC_PEERING"},
        {"EgressOnlyInternetGatewayId", "EGRESS_ONLY_INTERNET_GATEWAY"},
        {"InstanceId", "INSTANCE"},
        {"NetworkInterfaceId", "NETWORK_INTERFACE"},
        {"CarrierGatewayId", "CARRIER_GATEWAY"},
        {"LocalGatewayId", "LOCAL_GATEWAY"},
        {"CoreNetworkArn", "CORE_NETWORK"},
    };

    private static RouteTable routeTable(At t) {
        boolean main = false;
        List<String> subnets = new ArrayList<>();
        for (At a : t.optArray("Associations")) {
            if (!associated(a, "AssociationState")) {
                continue;
            }
            if (a.optBoolean("Main", false)) {
                main = true;
            }
            if (a.has("SubnetId")) {
                subnets.add(a.id("SubnetId", "subnet-"));
            }
        }
        List<Route> routes = new ArrayList<>();
        for (At r : t.optArray("Routes")) {
            routes.add(route(r));
        }
        return new RouteTable(
                t.id("RouteTableId", "rtb-"),
                t.optString("VpcId"),
                t.optString("OwnerId"),
                main,
                subnets,
                routes);
    }

    private static Route route(At r) {
        Cidr destination = null;
        String prefixList = null;
        if (r.has("DestinationCidrBlock")) {
            destination = r.cidr("DestinationCidrBlock", IpAddresses.V4);
        } else if (r.has("DestinationIpv6CidrBlock")) {
            destination = r.cidr("DestinationIpv6CidrBlock", IpAddresses.V6);
        } else if (r.has("DestinationPrefixListId")) {
            prefixList = r.id("DestinationPrefixListId", "pl-");
        } else {
            throw r.problem(
                    "expected one of DestinationCidrBlock, DestinationIpv6CidrBlock,"
                            + " DestinationPrefixListId");
        }
        Route.Target target = Route.Target.OTHER;
        String targetId = null;
        for (String[] t : ROUTE_TARGETS) {
            if (r.has(t[0])) {
                targetId = r.string(t[0]);
                target = t[1] != null ? Route.Target.valueOf(t[1]) : gatewayTarget(targetId);
                break;
            }
        }
        String state = r.optString("State");
        return new Route(
                destination,
                prefixList,
                target,
                targetId,
                state != null && state.equalsIgnoreCase("blackhole"),
                r.optString("Origin"));
    }

    private static Route.Target gatewayTarget(String id) {
        if (id.equals("local")) {
            return Route.Target.LOCAL;
        }
        if (id.startsWith("igw-")) {
            return Route.Target.INTERNET_GATEWAY;
        }
        if (id.startsWith("vgw-")) {
            return Route.Target.VPN_GATEWAY;
        }
        if (id.startsWith("vpce-")) {
            return Route.Target.VPC_ENDPOINT;
        }
        if (id.startsWith("eigw-")) {
            return Route.Target.EGRESS_ONLY_INTERNET_GATEWAY;
        }
        if (id.startsWith("nat-")) {
            return Route.Target.NAT_GATEWAY;
        }
        if (id.startsWith("tgw-")) {
            return Route.Target.TRANSIT_GATEWAY;
        }
        return Route.Target.OTHER;
    }

    private static VpcEndpoint vpcEndpoint(At e) {
        List<String> groups = new ArrayList<>();
        for (At g : e.optArray("Groups")) {
            groups.add(g.id("GroupId", "sg-"));
        }
        return new VpcEndpoint(
                e.id("VpcEndpointId", "vpce-"),
                e.optString("VpcEndpointType"),
                e.optString("VpcId"),
                e.optString("ServiceName"),
                e.optString("State"),
                e.strings("RouteTableIds"),
                e.strings("SubnetIds"),
                e.strings("NetworkInterfaceIds"),
                groups,
                e.optString("OwnerId"));
    }

    private static PrefixList prefixList(At p, boolean serviceList) {
        List<Cidr> cidrs = new ArrayList<>();
        List<At> items = p.has("Cidrs") ? p.elements("Cidrs") : List.of();
        for (int i = 0; i < items.size(); i++) {
            At c = items.get(i);
            if (!c.node.isTextual()) {
                throw c.error("a CIDR block as a string");
            }
            Cidr cidr = Cidr.tryParse(c.node.asText());
            if (cidr == null) {
                throw c.error("a CIDR block like 52.216.0.0/15");
            }
            cidrs.add(cidr);
        }
        return new PrefixList(
                p.id("PrefixListId", "pl-"),
                p.optString("PrefixListName"),
                p.optString("OwnerId"),
                p.optString("AddressFamily"),
                p.has("Version") ? p.longValue("Version") : -1,
                cidrs,
                serviceList);
    }

    private static VpcPeeringConnection peering(At p) {
        String status = null;
        if (p.has("Status")) {
            status = p.object("Status").optString("Code");
        }
        return new VpcPeeringConnection(
                p.id("VpcPeeringConnectionId", "pcx-"),
                peeringSide(p.object("RequesterVpcInfo")),
                peeringSide(p.object("AccepterVpcInfo")),
                status);
    }

    private static VpcPeeringConnection.Side peeringSide(At s) {
        List<Cidr> cidrs = new ArrayList<>();
        if (s.has("CidrBlock")) {
            cidrs.add(s.cidr("CidrBlock", IpAddresses.V4));
        }
        for (At c : s.optArray("CidrBlockSet")) {
            Cidr cidr = c.cidr("CidrBlock", IpAddresses.V4);
            if (!cidrs.contains(cidr)) {
                cidrs.add(cidr);
            }
        }
        for (At c : s.optArray("Ipv6CidrBlockSet")) {
            cidrs.add(c.cidr("Ipv6CidrBlock", IpAddresses.V6));
        }
        return new VpcPeeringConnection.Side(
                s.optString("OwnerId"), s.optString("VpcId"), s.optString("Region"), cidrs);
    }

    // ---- a node with its JSON path, for messages

    /** A node and where it is: {@code $.SecurityGroups[3].IpPermissions[0]}. */
    private static final class At {
        final String source;
        final JsonNode node;
        final String path;

        At(String source, JsonNode node, String path) {
            this.source = source;
            this.node = node;
            this.path = path;
        }

        At field(String key) {
            JsonNode child = node.get(key);
            return new At(
                    source, child == null ? MissingNode.getInstance() : child, path + "." + key);
        }

        boolean has(String key) {
            JsonNode child = node.get(key);
            return child != null && !child.isNull();
        }

        ConfigException problem(String problem) {
            return new ConfigException(source, path, problem);
        }

        ConfigException error(String expected) {
            if (node.isMissingNode()) {
                return problem("expected " + expected + ", but the key is missing");
            }
            return problem("expected " + expected + ", got " + show(node));
        }

        String string(String key) {
            At f = field(key);
            if (!f.node.isTextual()) {
                throw f.error("a string");
            }
            return f.node.asText();
        }

        String optString(String key) {
            return has(key) ? string(key) : null;
        }

        /** A required id with its prefix ({@code sg-}). */
        String id(String key, String prefix) {
            At f = field(key);
            if (!f.node.isTextual() || !f.node.asText().startsWith(prefix)) {
                throw f.error("an id like " + prefix + "0123456789abcdef0");
            }
            return f.node.asText();
        }

        int integer(String key, int min, int max) {
            At f = field(key);
            if (!f.node.isIntegralNumber() || !f.node.canConvertToInt()) {
                throw f.error("an integer");
            }
            int v = f.node.intValue();
            if (v < min || v > max) {
                throw f.error("an integer " + min + ".." + max);
            }
            return v;
        }

        int optInteger(String key, int absent, int min, int max) {
            return has(key) ? integer(key, min, max) : absent;
        }

        long longValue(String key) {
            At f = field(key);
            if (!f.node.isIntegralNumber() || !f.node.canConvertToLong()) {
                throw f.error("an integer");
            }
            return f.node.longValue();
        }

        boolean bool(String key) {
            At f = field(key);
            if (!f.node.isBoolean()) {
                throw f.error("true or false");
            }
            return f.node.booleanValue();
        }

        boolean optBoolean(String key, boolean absent) {
            return has(key) ? bool(key) : absent;
        }

        At object(String key) {
            At f = field(key);
            if (!f.node.isObject()) {
                throw f.error("an object");
            }
            return f;
        }

        /** The elements of a required array of objects. */
        List<At> array(String key) {
            List<At> items = elements(key);
            for (At item : items) {
                if (!item.node.isObject()) {
                    throw item.error("an object");
                }
            }
            return items;
        }

        /** The elements of an optional array of objects (absent or null: none). */
        List<At> optArray(String key) {
            return has(key) ? array(key) : List.of();
        }

        /** The elements of a required array, of any type. */
        List<At> elements(String key) {
            At f = field(key);
            if (!f.node.isArray()) {
                throw f.error("an array");
            }
            List<At> items = new ArrayList<>(f.node.size());
            Iterator<JsonNode> it = f.node.elements();
            for (int i = 0; it.hasNext(); i++) {
                items.add(new At(source, it.next(), f.path + "[" + i + "]"));
            }
            return items;
        }

        List<String> strings(String key) {
            List<String> out = new ArrayList<>();
            for (At item : has(key) ? elements(key) : List.<At>of()) {
                if (!item.node.isTextual()) {
                    throw item.error("a string");
                }
                out.add(item.node.asText());
            }
            return out;
        }

        /** A protocol: name, number as a string or JSON number, {@code -1} for all. */
        int protocol(String key) {
            At f = field(key);
            String text;
            if (f.node.isTextual()) {
                text = f.node.asText().trim().toLowerCase(Locale.ROOT);
            } else if (f.node.isIntegralNumber()) {
                text = f.node.asText();
            } else {
                throw f.error(PROTOCOL);
            }
            switch (text) {
                case "tcp":
                    return Protocols.TCP;
                case "udp":
                    return Protocols.UDP;
                case "icmp":
                    return Protocols.ICMP;
                case "icmpv6":
                    return Protocols.ICMPV6;
                case "-1":
                case "all":
                    return Protocols.ALL;
                default:
                    if (text.matches("[0-9]{1,3}") && Integer.parseInt(text) <= 255) {
                        return Integer.parseInt(text);
                    }
                    throw f.error(PROTOCOL);
            }
        }

        private static final String PROTOCOL =
                "a protocol: tcp, udp, icmp, icmpv6, -1 or a number 0-255";

        /** A CIDR block of the family ({@link IpAddresses#NONE}: either). */
        Cidr cidr(String key, byte family) {
            At f = field(key);
            String example =
                    family == IpAddresses.V4
                            ? "an IPv4 CIDR block like 10.0.0.0/16"
                            : family == IpAddresses.V6
                                    ? "an IPv6 CIDR block like 2001:db8::/56"
                                    : "a CIDR block like 10.0.0.0/16 or 2001:db8::/56";
            if (!f.node.isTextual()) {
                throw f.error(example);
            }
            Cidr cidr = Cidr.tryParse(f.node.asText());
            if (cidr == null || (family != IpAddresses.NONE && cidr.family() != family)) {
                throw f.error(example);
            }
            return cidr;
        }

        IpAddress address(String key, byte family) {
            At f = field(key);
            String example =
                    family == IpAddresses.V4
                            ? "an IPv4 address like 10.0.1.15"
                            : "an IPv6 address like 2001:db8::15";
            if (!f.node.isTextual()) {
                throw f.error(example);
            }
            IpAddress address = IpAddress.tryParse(f.node.asText());
            if (address == null || address.family() != family) {
                throw f.error(example);
            }
            return address;
        }

        private static String show(JsonNode value) {
            if (value.isTextual()) {
                String text = value.toString();
                return text.length() > 80 ? text.substring(0, 77) + "...\"" : text;
            }
            if (value.isObject()) {
                return "an object";
            }
            if (value.isArray()) {
                return "an array";
            }
            return value.toString();
        }
    }
}
