package io.flowtrail.model;

import java.util.List;

/**
 * A network interface (ENI) from {@code describe-network-interfaces}; its id is the flow log's
 * {@code interface-id}.
 *
 * @param privateIpv4Addresses the primary private IPv4 first, then the secondary ones
 * @param groupIds the security groups applied to the interface; empty for interfaces that have none
 *     (a NAT gateway's)
 * @param instanceId the attached instance, {@code null} when none or requester-managed
 * @param interfaceType {@code interface}, {@code natGateway}, {@code vpc_endpoint}, ... (open set)
 */
public record NetworkInterface(
        String interfaceId,
        String subnetId,
        String vpcId,
        String ownerId,
        List<IpAddress> privateIpv4Addresses,
        List<IpAddress> ipv6Addresses,
        List<String> groupIds,
        String instanceId,
        String interfaceType,
        boolean requesterManaged,
        String description) {
    public NetworkInterface {
        privateIpv4Addresses = List.copyOf(privateIpv4Addresses);
        ipv6Addresses = List.copyOf(ipv6Addresses);
        groupIds = List.copyOf(groupIds);
    }
}
