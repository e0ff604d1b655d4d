package io.flowtrail.model;

import java.util.List;

/**
 * A VPC endpoint from {@code describe-vpc-endpoints}. Gateway endpoints (S3, DynamoDB) are routes
 * to a prefix list in {@link #routeTableIds}; interface endpoints are network interfaces in {@link
 * #networkInterfaceIds}.
 *
 * @param endpointType {@code Interface}, {@code Gateway}, {@code GatewayLoadBalancer}, ...
 */
public record VpcEndpoint(
        String vpcEndpointId,
        String endpointType,
        String vpcId,
        String serviceName,
        String state,
        List<String> routeTableIds,
        List<String> subnetIds,
        List<String> networkInterfaceIds,
        List<String> groupIds,
        String ownerId) {
    public VpcEndpoint {
        routeTableIds = List.copyOf(routeTableIds);
        subnetIds = List.copyOf(subnetIds);
        networkInterfaceIds = List.copyOf(networkInterfaceIds);
        groupIds = List.copyOf(groupIds);
    }

    public boolean isGateway() {
        return "Gateway".equalsIgnoreCase(endpointType);
    }

    public boolean isInterface() {
        return "Interface".equalsIgnoreCase(endpointType);
    }
}
