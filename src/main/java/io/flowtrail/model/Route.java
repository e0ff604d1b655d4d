package io.flowtrail.model;

/**
 * One route of a route table. The destination is a CIDR block or a prefix list ({@code pl-}, the
 * routes of gateway endpoints).
 *
 * @param targetId {@code local}, {@code igw-...}, {@code nat-...}, {@code pcx-...}, ...
 * @param blackhole the route's {@code State} is {@code blackhole}: its target is gone and traffic
 *     is dropped
 */
public record Route(
        Cidr destination,
        String destinationPrefixListId,
        Target target,
        String targetId,
        boolean blackhole,
        String origin) {

    /** What a route sends traffic to, read from which key names the target and its id prefix. */
    public enum Target {
        LOCAL,
        INTERNET_GATEWAY,
        EGRESS_ONLY_INTERNET_GATEWAY,
        NAT_GATEWAY,
        VPC_PEERING,
        VPC_ENDPOINT,
        TRANSIT_GATEWAY,
        VPN_GATEWAY,
        NETWORK_INTERFACE,
        INSTANCE,
        CARRIER_GATEWAY,
        LOCAL_GATEWAY,
        CORE_NETWORK,
        OTHER
    }
}
