package io.flowtrail.model;

import java.util.List;

/**
 * A route table from {@code describe-route-tables}.
 *
 * @param main the VPC's main table, used by every subnet without an explicit association
 * @param subnetIds subnets explicitly associated with the table
 */
public record RouteTable(
        String routeTableId,
        String vpcId,
        String ownerId,
        boolean main,
        List<String> subnetIds,
        List<Route> routes) {
    public RouteTable {
        subnetIds = List.copyOf(subnetIds);
        routes = List.copyOf(routes);
    }
}
