package io.flowtrail.config;

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
import io.flowtrail.parse.ConfigParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One configuration snapshot, indexed for lookups: interfaces by id and by private address, subnets
 * by id and by address, VPC address space, the route table and network ACL of each subnet, VPC
 * endpoints, peering connections and prefix lists expanded to their blocks.
 *
 * <p>Addresses are looked up per VPC: VPCs that are not peered may use the same private ranges, so
 * an address alone does not name an interface. CIDR lookups are binary tries ({@link CidrTable}) or
 * sorted ranges ({@link CidrSet}), never scans.
 *
 * <p>It also holds, precomputed, everything {@link FlowEvaluator} needs per flow, so that the
 * per-flow path allocates nothing and builds no strings: each interface's security-group rules of
 * both directions concatenated over its groups, its subnet's network-ACL entries sorted by rule
 * number per direction and family (with the implicit {@code *} entries added when the document
 * omits them), and every attribution label as a shared string.
 *
 * <p>How documents combine:
 *
 * <ul>
 *   <li>{@code describe-security-group-rules} rules replace, group by group, the rules that {@code
 *       describe-security-groups} gave the same group; a group known only from rules has no name or
 *       VPC.
 *   <li>A managed prefix list's blocks are its {@code get-managed-prefix-list-entries} entries when
 *       the snapshot has them, else the {@code Cidrs} of {@code describe-prefix-lists}.
 *   <li>A subnet's network ACL is the one associated with it, else its VPC's default ACL; its route
 *       table the one explicitly associated, else its VPC's main table.
 *   <li>A VPC's address space is its associated blocks from {@code describe-vpcs}, or, when the VPC
 *       is not in that document, the blocks of its subnets.
 * </ul>
 *
 * <p>Immutable and safe to share between threads once built.
 */
public final class NetworkIndex {
    private final long effectiveFromMillis;
    private final String source;
    private final NetworkConfig config;

    private final Map<String, NetworkInterface> interfaces = new LinkedHashMap<>();
    private final Map<String, Subnet> subnets = new LinkedHashMap<>();
    private final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
    private final Map<String, NetworkAcl> nacls = new LinkedHashMap<>();
    private final Map<String, RouteTable> routeTables = new LinkedHashMap<>();
    private final Map<String, VpcEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, PrefixList> prefixLists = new LinkedHashMap<>();
    private final Map<String, CidrSet> prefixListBlocks = new HashMap<>();
    private final Map<String, VpcPeeringConnection> peerings = new LinkedHashMap<>();
    private final Map<String, NetworkAcl> naclBySubnet = new HashMap<>();
    private final Map<String, RouteTable> routeTableBySubnet = new HashMap<>();
    private final Map<String, RouteTable> mainRouteTable = new HashMap<>();
    private final Map<String, CidrTable<Route>> routeLookup = new HashMap<>();
    private final Map<String, VpcEndpoint> endpointByInterface = new HashMap<>();
    private final Map<String, List<IpAddress>> memberAddresses = new HashMap<>();
    private final CidrSet awsServiceRanges;

    // Precomputed for the evaluator.
    final Map<String, Eni> enis = new HashMap<>();
    final Map<String, Space> spaces = new HashMap<>();
    private final Map<String, Integer> groupNumbers = new HashMap<>();
    private final Map<String, Nacl> compiledNacls = new HashMap<>();

    private NetworkIndex(long effectiveFromMillis, String source, NetworkConfig config) {
        this.effectiveFromMillis = effectiveFromMillis;
        this.source = source;
        this.config = config;
        config.vpcs().forEach(v -> vpcs.put(v.vpcId(), v));
        config.subnets().forEach(s -> subnets.put(s.subnetId(), s));
        config.networkInterfaces().forEach(n -> interfaces.put(n.interfaceId(), n));
        config.securityGroups().forEach(g -> groups.put(g.groupId(), g));
        for (SecurityGroup fromRules : config.securityGroupsFromRules()) {
            SecurityGroup known = groups.get(fromRules.groupId());
            groups.put(
                    fromRules.groupId(),
                    known == null
                            ? fromRules
                            : known.withRules(fromRules.ingress(), fromRules.egress()));
        }
        config.networkAcls().forEach(a -> nacls.put(a.networkAclId(), a));
        config.routeTables().forEach(t -> routeTables.put(t.routeTableId(), t));
        config.vpcEndpoints().forEach(e -> endpoints.put(e.vpcEndpointId(), e));
        config.prefixLists().forEach(p -> prefixLists.put(p.prefixListId(), p));
        config.peeringConnections().forEach(p -> peerings.put(p.peeringConnectionId(), p));

        indexPrefixLists();
        List<Cidr> awsRanges = new ArrayList<>();
        for (PrefixList p : prefixLists.values()) {
            if (p.awsManaged()) {
                awsRanges.addAll(prefixListBlocks.get(p.prefixListId()).cidrs());
            }
        }
        awsServiceRanges = new CidrSet(awsRanges);
        indexAclsAndRoutes();
        for (VpcEndpoint e : endpoints.values()) {
            for (String eni : e.networkInterfaceIds()) {
                endpointByInterface.put(eni, e);
            }
        }
        for (NetworkInterface n : interfaces.values()) {
            for (String g : n.groupIds()) {
                List<IpAddress> members =
                        memberAddresses.computeIfAbsent(g, k -> new ArrayList<>());
                members.addAll(n.privateIpv4Addresses());
                members.addAll(n.ipv6Addresses());
            }
        }
        memberAddresses.replaceAll((g, list) -> List.copyOf(list));
        compile();
    }

    /** Parses the snapshot's documents and indexes them. */
    public static NetworkIndex build(ConfigSnapshot snapshot) {
        List<NetworkConfig> parts = new ArrayList<>();
        for (Map.Entry<String, String> d : snapshot.documents().entrySet()) {
            parts.add(
                    ConfigParser.parse(snapshot.source() + "/" + d.getKey(), d.getValue())
                            .content());
        }
        return new NetworkIndex(
                snapshot.effectiveFromMillis(), snapshot.source(), NetworkConfig.merge(parts));
    }

    /** Indexes configuration objects directly (tests, tools). */
    public static NetworkIndex of(NetworkConfig config, long effectiveFromMillis, String source) {
        return new NetworkIndex(effectiveFromMillis, source, config);
    }

    private void indexPrefixLists() {
        Set<String> ids = new LinkedHashSet<>(prefixLists.keySet());
        ids.addAll(config.prefixListEntries().keySet());
        for (String id : ids) {
            List<Cidr> entries = config.prefixListEntries().get(id);
            PrefixList list = prefixLists.get(id);
            prefixListBlocks.put(
                    id,
                    new CidrSet(
                            entries != null ? entries : list != null ? list.cidrs() : List.of()));
        }
    }

    private void indexAclsAndRoutes() {
        for (NetworkAcl acl : nacls.values()) {
            for (String subnet : acl.subnetIds()) {
                naclBySubnet.put(subnet, acl);
            }
        }
        for (RouteTable table : routeTables.values()) {
            for (String subnet : table.subnetIds()) {
                routeTableBySubnet.put(subnet, table);
            }
            if (table.main() && table.vpcId() != null) {
                mainRouteTable.put(table.vpcId(), table);
            }
            CidrTable<Route> lookup = new CidrTable<>();
            // Prefix-list routes first, then CIDR routes, the local routes last: for the same
            // block the local route wins.
            for (Route r : table.routes()) {
                if (r.destinationPrefixListId() != null) {
                    CidrSet blocks = prefixListBlocks.get(r.destinationPrefixListId());
                    if (blocks != null) {
                        blocks.cidrs().forEach(c -> lookup.put(c, r));
                    }
                }
            }
            for (Route r : table.routes()) {
                if (r.destination() != null && r.target() != Route.Target.LOCAL) {
                    lookup.put(r.destination(), r);
                }
            }
            for (Route r : table.routes()) {
                if (r.destination() != null && r.target() == Route.Target.LOCAL) {
                    lookup.put(r.destination(), r);
                }
            }
            routeLookup.put(table.routeTableId(), lookup);
        }
    }

    // ---- public lookups

    public long effectiveFromMillis() {
        return effectiveFromMillis;
    }

    /** Where the snapshot was read. */
    public String source() {
        return source;
    }

    /** Everything the snapshot holds, as objects (security groups before rule replacement). */
    public NetworkConfig config() {
        return config;
    }

    public NetworkInterface networkInterface(String interfaceId) {
        return interfaces.get(interfaceId);
    }

    public Collection<NetworkInterface> networkInterfaces() {
        return Collections.unmodifiableCollection(interfaces.values());
    }

    /** The interface of the VPC whose private IPv4 or IPv6 address (primary or secondary) it is. */
    public NetworkInterface interfaceWithAddress(String vpcId, IpAddress address) {
        Space space = spaces.get(vpcId);
        Eni eni =
                space == null
                        ? null
                        : space.addresses.get(address.family(), address.hi(), address.lo());
        return eni == null ? null : eni.model;
    }

    /** Interfaces of any VPC with this private address (VPCs may reuse ranges). */
    public List<NetworkInterface> interfacesWithAddress(IpAddress address) {
        List<NetworkInterface> found = new ArrayList<>();
        for (Space space : spaces.values()) {
            Eni eni = space.addresses.get(address.family(), address.hi(), address.lo());
            if (eni != null) {
                found.add(eni.model);
            }
        }
        return found;
    }

    public Subnet subnet(String subnetId) {
        return subnets.get(subnetId);
    }

    /** The subnet of the VPC whose block holds the address, or {@code null}. */
    public Subnet subnetContaining(String vpcId, IpAddress address) {
        Space space = spaces.get(vpcId);
        return space == null
                ? null
                : space.subnets.get(address.family(), address.hi(), address.lo());
    }

    public Vpc vpc(String vpcId) {
        return vpcs.get(vpcId);
    }

    /** The VPC's address space (see the class comment), empty when the VPC is unknown. */
    public List<Cidr> vpcCidrs(String vpcId) {
        Space space = spaces.get(vpcId);
        if (space == null) {
            return List.of();
        }
        List<Cidr> cidrs = new ArrayList<>();
        for (Block b : space.cidrs) {
            cidrs.add(b.cidr);
        }
        return cidrs;
    }

    public SecurityGroup securityGroup(String groupId) {
        return groups.get(groupId);
    }

    /** All security groups, with {@code describe-security-group-rules} rules applied. */
    public Collection<SecurityGroup> securityGroups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    /**
     * The private addresses (IPv4 and IPv6) of the interfaces that carry the group: what a rule
     * referencing the group matches.
     */
    public List<IpAddress> memberAddresses(String groupId) {
        return memberAddresses.getOrDefault(groupId, List.of());
    }

    public NetworkAcl networkAcl(String networkAclId) {
        return nacls.get(networkAclId);
    }

    public Collection<NetworkAcl> networkAcls() {
        return Collections.unmodifiableCollection(nacls.values());
    }

    /** The subnet's network ACL: its association, else its VPC's default ACL, else {@code null}. */
    public NetworkAcl networkAclOf(String subnetId) {
        NetworkAcl acl = naclBySubnet.get(subnetId);
        if (acl != null) {
            return acl;
        }
        Subnet subnet = subnets.get(subnetId);
        String vpcId = subnet != null ? subnet.vpcId() : null;
        if (vpcId == null) {
            for (NetworkInterface n : interfaces.values()) {
                if (subnetId.equals(n.subnetId())) {
                    vpcId = n.vpcId();
                    break;
                }
            }
        }
        for (NetworkAcl a : nacls.values()) {
            if (a.isDefault() && a.vpcId() != null && a.vpcId().equals(vpcId)) {
                return a;
            }
        }
        return null;
    }

    /**
     * The entries of an ACL for one direction and family in evaluation order (rule number
     * ascending), ending with the {@code *} entry of the family, added when the document omits it.
     */
    public List<NaclEntry> naclEntries(String networkAclId, boolean egress, byte family) {
        Nacl nacl = compiledNacls.get(networkAclId);
        if (nacl == null) {
            return List.of();
        }
        List<NaclEntry> entries = new ArrayList<>();
        for (NaclRule r : nacl.rules(egress, family)) {
            entries.add(r.model);
        }
        return entries;
    }

    public RouteTable routeTable(String routeTableId) {
        return routeTables.get(routeTableId);
    }

    /**
     * The gateway VPC endpoint the subnet's route table has for an AWS service ({@code S3}, {@code
     * DYNAMODB}, as {@code pkt-dst-aws-service} names it), or null.
     */
    public VpcEndpoint gatewayEndpointFor(String subnetId, String awsService) {
        RouteTable table = subnetId == null || awsService == null ? null : routeTableOf(subnetId);
        if (table == null) {
            return null;
        }
        String suffix = "." + awsService.toLowerCase(java.util.Locale.ROOT);
        for (VpcEndpoint e : vpcEndpoints()) {
            if (e.isGateway()
                    && e.serviceName() != null
                    && e.serviceName().endsWith(suffix)
                    && e.routeTableIds().contains(table.routeTableId())) {
                return e;
            }
        }
        return null;
    }

    /** The subnet's route table: explicit association, else its VPC's main table. */
    public RouteTable routeTableOf(String subnetId) {
        RouteTable table = routeTableBySubnet.get(subnetId);
        if (table != null) {
            return table;
        }
        Subnet subnet = subnets.get(subnetId);
        return subnet == null ? null : mainRouteTable.get(subnet.vpcId());
    }

    /**
     * The route the subnet's table uses for a destination: longest prefix match, prefix-list routes
     * expanded to their blocks, the local route winning for its block. May be a blackhole route;
     * {@code null} when no route matches.
     */
    public Route routeFor(String subnetId, IpAddress destination) {
        RouteTable table = routeTableOf(subnetId);
        if (table == null) {
            return null;
        }
        return routeLookup
                .get(table.routeTableId())
                .get(destination.family(), destination.hi(), destination.lo());
    }

    public Collection<VpcEndpoint> vpcEndpoints() {
        return Collections.unmodifiableCollection(endpoints.values());
    }

    public VpcEndpoint vpcEndpoint(String vpcEndpointId) {
        return endpoints.get(vpcEndpointId);
    }

    /** The interface endpoint that owns the network interface, or {@code null}. */
    public VpcEndpoint endpointOfInterface(String interfaceId) {
        return endpointByInterface.get(interfaceId);
    }

    public Collection<VpcPeeringConnection> peeringConnections() {
        return Collections.unmodifiableCollection(peerings.values());
    }

    /** The active peering connections of a VPC. */
    public List<VpcPeeringConnection> activePeeringsOf(String vpcId) {
        List<VpcPeeringConnection> found = new ArrayList<>();
        for (VpcPeeringConnection p : peerings.values()) {
            if (p.isActive() && p.otherSide(vpcId) != null) {
                found.add(p);
            }
        }
        return found;
    }

    public PrefixList prefixList(String prefixListId) {
        return prefixLists.get(prefixListId);
    }

    /** A prefix list's blocks (see the class comment), or {@code null} when the list is unknown. */
    public List<Cidr> prefixListCidrs(String prefixListId) {
        CidrSet set = prefixListBlocks.get(prefixListId);
        return set == null ? null : set.cidrs();
    }

    /** The address is in a prefix list owned by AWS (an AWS service's ranges). */
    public boolean isAwsServiceAddress(IpAddress address) {
        return awsServiceRanges.contains(address.family(), address.hi(), address.lo());
    }

    // ---- compiled form, for the evaluator

    CidrSet awsServiceRanges() {
        return awsServiceRanges;
    }

    /** A VPC's address space, its interfaces by address, its subnets by block and its peerings. */
    static final class Space {
        final String vpcId;
        Block[] cidrs = new Block[0];
        AddressMap<Eni> addresses = new AddressMap<>(0);
        final CidrTable<Subnet> subnets = new CidrTable<>();
        PeerLink[] peerings = new PeerLink[0];

        Space(String vpcId) {
            this.vpcId = vpcId;
        }

        boolean contains(byte family, long hi, long lo) {
            return Block.anyContains(cidrs, family, hi, lo);
        }
    }

    /** The far side of an active peering connection. */
    static final class PeerLink {
        final String peeringConnectionId;
        final Block[] cidrs;
        final Space space;

        PeerLink(String peeringConnectionId, Block[] cidrs, Space space) {
            this.peeringConnectionId = peeringConnectionId;
            this.cidrs = cidrs;
            this.space = space;
        }
    }

    /** A network interface, compiled. */
    static final class Eni {
        final NetworkInterface model;
        final String id;
        final String vpcId;
        final String subnetId;
        final List<String> groupIds;
        final long[] v4;
        final long[] v6Hi;
        final long[] v6Lo;
        Space space;
        Block[] subnetCidrs;
        Nacl nacl;
        SgRule[] ingress;
        SgRule[] egress;
        int[] groupNumbers;

        /** Groups of the interface that the snapshot does not describe. */
        List<String> missingGroups = List.of();

        /** Port ranges (from, to pairs) the interface serves, per its narrow inbound rules. */
        int[] servedTcp = new int[0];

        int[] servedUdp = new int[0];
        boolean awsEndpoint;

        Eni(NetworkInterface model) {
            this.model = model;
            this.id = model.interfaceId();
            this.vpcId = model.vpcId();
            this.subnetId = model.subnetId();
            this.groupIds = model.groupIds();
            this.v4 = new long[model.privateIpv4Addresses().size()];
            for (int i = 0; i < v4.length; i++) {
                v4[i] = model.privateIpv4Addresses().get(i).lo();
            }
            this.v6Hi = new long[model.ipv6Addresses().size()];
            this.v6Lo = new long[v6Hi.length];
            for (int i = 0; i < v6Hi.length; i++) {
                v6Hi[i] = model.ipv6Addresses().get(i).hi();
                v6Lo[i] = model.ipv6Addresses().get(i).lo();
            }
        }

        boolean hasAddress(byte family, long hi, long lo) {
            if (family == IpAddresses.V4) {
                for (long a : v4) {
                    if (a == lo) {
                        return true;
                    }
                }
            } else if (family == IpAddresses.V6) {
                for (int i = 0; i < v6Hi.length; i++) {
                    if (v6Hi[i] == hi && v6Lo[i] == lo) {
                        return true;
                    }
                }
            }
            return false;
        }

        boolean hasGroup(int groupNumber) {
            for (int g : groupNumbers) {
                if (g == groupNumber) {
                    return true;
                }
            }
            return false;
        }

        boolean serves(int protocol, int port) {
            int[] ranges =
                    protocol == Protocols.TCP
                            ? servedTcp
                            : protocol == Protocols.UDP ? servedUdp : null;
            if (ranges == null) {
                return false;
            }
            for (int i = 0; i < ranges.length; i += 2) {
                if (port >= ranges[i] && port <= ranges[i + 1]) {
                    return true;
                }
            }
            return false;
        }

        boolean inSubnet(byte family, long hi, long lo) {
            return subnetCidrs != null && Block.anyContains(subnetCidrs, family, hi, lo);
        }
    }

    static final byte PEER_CIDR = 0;
    static final byte PEER_PREFIX_LIST = 1;
    static final byte PEER_GROUP = 2;

    /** A security-group rule, compiled. */
    static final class SgRule {
        final SecurityGroupRule model;
        final String attribution;
        final int protocol;
        final int from;
        final int to;
        final byte peerKind;
        final Block cidr;

        /** The prefix list's blocks, {@code null} when the list is not in the snapshot. */
        final CidrSet prefixList;

        final int groupNumber;

        SgRule(SecurityGroupRule model, CidrSet prefixList, int groupNumber) {
            this.model = model;
            this.attribution = ("sg:" + model.label()).intern();
            this.protocol = model.protocol();
            this.from = model.fromPort();
            this.to = model.toPort();
            this.cidr = model.cidr() == null ? null : new Block(model.cidr());
            this.peerKind =
                    model.cidr() != null
                            ? PEER_CIDR
                            : model.prefixListId() != null ? PEER_PREFIX_LIST : PEER_GROUP;
            this.prefixList = prefixList;
            this.groupNumber = groupNumber;
        }
    }

    /** A network ACL's entries sorted per direction and family. */
    static final class Nacl {
        final NetworkAcl model;
        final NaclRule[] inV4;
        final NaclRule[] inV6;
        final NaclRule[] outV4;
        final NaclRule[] outV6;

        Nacl(NetworkAcl model) {
            this.model = model;
            this.inV4 = rules(model, false, IpAddresses.V4);
            this.inV6 = rules(model, false, IpAddresses.V6);
            this.outV4 = rules(model, true, IpAddresses.V4);
            this.outV6 = rules(model, true, IpAddresses.V6);
        }

        NaclRule[] rules(boolean egress, byte family) {
            if (family == IpAddresses.V4) {
                return egress ? outV4 : inV4;
            }
            return egress ? outV6 : inV6;
        }

        private static NaclRule[] rules(NetworkAcl acl, boolean egress, byte family) {
            List<NaclRule> rules = new ArrayList<>();
            boolean hasDefault = false;
            for (NaclEntry e : acl.entries()) {
                if (e.egress() == egress && e.cidr().family() == family) {
                    rules.add(new NaclRule(e, false));
                    hasDefault |= e.isDefaultRule();
                }
            }
            if (!hasDefault) {
                boolean v4 = family == IpAddresses.V4;
                rules.add(
                        new NaclRule(
                                new NaclEntry(
                                        acl.networkAclId(),
                                        v4 ? NaclEntry.DEFAULT_IPV4 : NaclEntry.DEFAULT_IPV6,
                                        egress,
                                        false,
                                        Protocols.ALL,
                                        v4 ? Cidr.ALL_IPV4 : Cidr.ALL_IPV6,
                                        -1,
                                        -1,
                                        -1,
                                        -1),
                                true));
            }
            rules.sort(Comparator.comparingInt(r -> r.number));
            return rules.toArray(new NaclRule[0]);
        }
    }

    /** A network-ACL entry, compiled. */
    static final class NaclRule {
        final NaclEntry model;
        final String attribution;
        final int number;
        final boolean allow;
        final int protocol;
        final Block cidr;
        final int from;
        final int to;
        final int icmpType;
        final int icmpCode;

        /** Added by Flowtrail because the document did not list the {@code *} entry. */
        final boolean implicit;

        NaclRule(NaclEntry model, boolean implicit) {
            this.model = model;
            this.attribution = ("nacl:" + model.label()).intern();
            this.number = model.ruleNumber();
            this.allow = model.allow();
            this.protocol = model.protocol();
            this.cidr = new Block(model.cidr());
            this.from = model.fromPort();
            this.to = model.toPort();
            this.icmpType = model.icmpType();
            this.icmpCode = model.icmpCode();
            this.implicit = implicit;
        }
    }

    /** Groups are numbered so that membership tests compare ints. */
    private int groupNumber(String groupId) {
        return groupNumbers.computeIfAbsent(groupId, g -> groupNumbers.size());
    }

    Eni eni(String interfaceId) {
        return interfaceId == null ? null : enis.get(interfaceId);
    }

    private Space space(String vpcId) {
        return spaces.computeIfAbsent(vpcId == null ? "" : vpcId, Space::new);
    }

    private void compile() {
        // VPC address spaces.
        for (Vpc v : vpcs.values()) {
            space(v.vpcId()).cidrs = Block.of(v.cidrBlocks());
        }
        Map<String, List<Cidr>> subnetBlocks = new HashMap<>();
        for (Subnet s : subnets.values()) {
            Space space = space(s.vpcId());
            for (Cidr c : s.cidrBlocks()) {
                space.subnets.put(c, s);
            }
            subnetBlocks.computeIfAbsent(s.vpcId(), k -> new ArrayList<>()).addAll(s.cidrBlocks());
        }
        subnetBlocks.forEach(
                (vpcId, blocks) -> {
                    if (!vpcs.containsKey(vpcId)) {
                        space(vpcId).cidrs = Block.of(blocks);
                    }
                });
        Map<String, List<Eni>> byVpc = new HashMap<>();
        for (NetworkInterface n : interfaces.values()) {
            Eni eni = new Eni(n);
            enis.put(n.interfaceId(), eni);
            eni.space = space(n.vpcId());
            byVpc.computeIfAbsent(eni.space.vpcId, k -> new ArrayList<>()).add(eni);
        }
        for (Space space : spaces.values()) {
            List<Eni> members = byVpc.getOrDefault(space.vpcId, List.of());
            int count = 0;
            for (Eni e : members) {
                count += e.v4.length + e.v6Hi.length;
            }
            space.addresses = new AddressMap<>(count);
            for (Eni e : members) {
                for (long a : e.v4) {
                    space.addresses.putIfAbsent(IpAddresses.V4, 0, a, e);
                }
                for (int i = 0; i < e.v6Hi.length; i++) {
                    space.addresses.putIfAbsent(IpAddresses.V6, e.v6Hi[i], e.v6Lo[i], e);
                }
            }
        }
        // Active peerings, both ways.
        Map<String, List<PeerLink>> links = new HashMap<>();
        for (VpcPeeringConnection p : peerings.values()) {
            if (!p.isActive()) {
                continue;
            }
            addLink(links, p, p.requester(), p.accepter());
            addLink(links, p, p.accepter(), p.requester());
        }
        links.forEach((vpcId, list) -> space(vpcId).peerings = list.toArray(new PeerLink[0]));

        // Security groups, compiled once each.
        for (String g : groups.keySet()) {
            groupNumber(g);
        }
        Map<String, SgRule[]> ingress = new HashMap<>();
        Map<String, SgRule[]> egress = new HashMap<>();
        for (SecurityGroup g : groups.values()) {
            ingress.put(g.groupId(), compileRules(g.ingress()));
            egress.put(g.groupId(), compileRules(g.egress()));
        }
        for (NetworkAcl acl : nacls.values()) {
            compiledNacls.put(acl.networkAclId(), new Nacl(acl));
        }
        for (Eni eni : enis.values()) {
            List<SgRule> in = new ArrayList<>();
            List<SgRule> out = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            eni.groupNumbers = new int[eni.groupIds.size()];
            for (int i = 0; i < eni.groupIds.size(); i++) {
                String g = eni.groupIds.get(i);
                eni.groupNumbers[i] = groupNumber(g);
                if (!groups.containsKey(g)) {
                    missing.add(g);
                    continue;
                }
                in.addAll(Arrays.asList(ingress.get(g)));
                out.addAll(Arrays.asList(egress.get(g)));
            }
            eni.ingress = in.toArray(new SgRule[0]);
            eni.egress = out.toArray(new SgRule[0]);
            eni.missingGroups = List.copyOf(missing);
            eni.servedTcp = served(in, Protocols.TCP);
            eni.servedUdp = served(in, Protocols.UDP);
            Subnet subnet = eni.subnetId == null ? null : subnets.get(eni.subnetId);
            eni.subnetCidrs = subnet == null ? null : Block.of(subnet.cidrBlocks());
            NetworkAcl acl = eni.subnetId == null ? null : networkAclOf(eni.subnetId);
            eni.nacl = acl == null ? null : compiledNacls.get(acl.networkAclId());
            eni.awsEndpoint =
                    endpointByInterface.containsKey(eni.id)
                            || "vpc_endpoint".equals(eni.model.interfaceType());
        }
    }

    private void addLink(
            Map<String, List<PeerLink>> links,
            VpcPeeringConnection p,
            VpcPeeringConnection.Side local,
            VpcPeeringConnection.Side remote) {
        if (local.vpcId() == null || remote.vpcId() == null) {
            return;
        }
        List<Cidr> remoteCidrs = new ArrayList<>(remote.cidrBlocks());
        Vpc remoteVpc = vpcs.get(remote.vpcId());
        if (remoteVpc != null) {
            for (Cidr c : remoteVpc.cidrBlocks()) {
                if (!remoteCidrs.contains(c)) {
                    remoteCidrs.add(c);
                }
            }
        }
        links.computeIfAbsent(local.vpcId(), k -> new ArrayList<>())
                .add(
                        new PeerLink(
                                p.peeringConnectionId(),
                                Block.of(remoteCidrs),
                                spaces.containsKey(remote.vpcId())
                                        ? spaces.get(remote.vpcId())
                                        : null));
    }

    private SgRule[] compileRules(List<SecurityGroupRule> rules) {
        SgRule[] out = new SgRule[rules.size()];
        for (int i = 0; i < out.length; i++) {
            SecurityGroupRule r = rules.get(i);
            CidrSet list = r.prefixListId() == null ? null : prefixListBlocks.get(r.prefixListId());
            int group = r.group() == null ? -1 : groupNumber(r.group().groupId());
            out[i] = new SgRule(r, list, group);
        }
        return out;
    }

    /**
     * Narrow TCP or UDP inbound port ranges (at most {@value FlowEvaluator#NARROW_RANGE} ports):
     * the ports the interface serves. Wider ranges open ephemeral ports (passive FTP, RPC) and say
     * nothing about which side is the server.
     */
    private static int[] served(List<SgRule> inbound, int protocol) {
        List<Integer> ranges = new ArrayList<>();
        for (SgRule r : inbound) {
            if (r.protocol == protocol
                    && r.from >= 0
                    && r.to >= r.from
                    && r.to - r.from < FlowEvaluator.NARROW_RANGE) {
                ranges.add(r.from);
                ranges.add(r.to);
            }
        }
        return ranges.stream().mapToInt(Integer::intValue).toArray();
    }
}
