package io.flowtrail.model;

import java.util.List;

/**
 * A network ACL from {@code describe-network-acls}: the subnets associated with it and its entries
 * in document order (which is not evaluation order: evaluation sorts by rule number).
 */
public record NetworkAcl(
        String networkAclId,
        String vpcId,
        String ownerId,
        boolean isDefault,
        List<String> subnetIds,
        List<NaclEntry> entries) {
    public NetworkAcl {
        subnetIds = List.copyOf(subnetIds);
        entries = List.copyOf(entries);
    }
}
