package io.flowtrail.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network configuration read from {@code describe-*} documents, as plain objects: what one
 * document holds, or several merged. Lists keep document order.
 *
 * @param securityGroupsFromRules groups assembled from {@code describe-security-group-rules}: when
 *     a group is also in {@link #securityGroups}, these rules replace that group's rules
 * @param prefixListEntries {@code get-managed-prefix-list-entries} output by prefix-list id
 */
public record NetworkConfig(
        List<Vpc> vpcs,
        List<Subnet> subnets,
        List<NetworkInterface> networkInterfaces,
        List<SecurityGroup> securityGroups,
        List<SecurityGroup> securityGroupsFromRules,
        List<NetworkAcl> networkAcls,
        List<RouteTable> routeTables,
        List<VpcEndpoint> vpcEndpoints,
        List<PrefixList> prefixLists,
        Map<String, List<Cidr>> prefixListEntries,
        List<VpcPeeringConnection> peeringConnections) {

    public static final NetworkConfig EMPTY = new Builder().build();

    public NetworkConfig {
        vpcs = List.copyOf(vpcs);
        subnets = List.copyOf(subnets);
        networkInterfaces = List.copyOf(networkInterfaces);
        securityGroups = List.copyOf(securityGroups);
        securityGroupsFromRules = List.copyOf(securityGroupsFromRules);
        networkAcls = List.copyOf(networkAcls);
        routeTables = List.copyOf(routeTables);
        vpcEndpoints = List.copyOf(vpcEndpoints);
        prefixLists = List.copyOf(prefixLists);
        Map<String, List<Cidr>> entries = new LinkedHashMap<>();
        prefixListEntries.forEach((id, cidrs) -> entries.put(id, List.copyOf(cidrs)));
        prefixListEntries = Collections.unmodifiableMap(entries);
        peeringConnections = List.copyOf(peeringConnections);
    }

    /**
     * Everything of {@code parts}, in order. Entries of one prefix list in several parts add up.
     */
    public static NetworkConfig merge(List<NetworkConfig> parts) {
        Builder b = new Builder();
        for (NetworkConfig p : parts) {
            b.vpcs.addAll(p.vpcs);
            b.subnets.addAll(p.subnets);
            b.networkInterfaces.addAll(p.networkInterfaces);
            b.securityGroups.addAll(p.securityGroups);
            b.securityGroupsFromRules.addAll(p.securityGroupsFromRules);
            b.networkAcls.addAll(p.networkAcls);
            b.routeTables.addAll(p.routeTables);
            b.vpcEndpoints.addAll(p.vpcEndpoints);
            b.prefixLists.addAll(p.prefixLists);
            p.prefixListEntries.forEach(
                    (id, cidrs) ->
                            b.prefixListEntries
                                    .computeIfAbsent(id, k -> new ArrayList<>())
                                    .addAll(cidrs));
            b.peeringConnections.addAll(p.peeringConnections);
        }
        return b.build();
    }

    /** Collects the objects of one or more documents. */
    public static final class Builder {
        public final List<Vpc> vpcs = new ArrayList<>();
        public final List<Subnet> subnets = new ArrayList<>();
        public final List<NetworkInterface> networkInterfaces = new ArrayList<>();
        public final List<SecurityGroup> securityGroups = new ArrayList<>();
        public final List<SecurityGroup> securityGroupsFromRules = new ArrayList<>();
        public final List<NetworkAcl> networkAcls = new ArrayList<>();
        public final List<RouteTable> routeTables = new ArrayList<>();
        public final List<VpcEndpoint> vpcEndpoints = new ArrayList<>();
        public final List<PrefixList> prefixLists = new ArrayList<>();
        public final Map<String, List<Cidr>> prefixListEntries = new LinkedHashMap<>();
        public final List<VpcPeeringConnection> peeringConnections = new ArrayList<>();

        public NetworkConfig build() {
            return new NetworkConfig(
                    vpcs,
                    subnets,
                    networkInterfaces,
                    securityGroups,
                    securityGroupsFromRules,
                    networkAcls,
                    routeTables,
                    vpcEndpoints,
                    prefixLists,
                    prefixListEntries,
                    peeringConnections);
        }
    }
}
