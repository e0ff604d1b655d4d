package io.flowtrail.model;

import java.util.List;

/**
 * A VPC from {@code describe-vpcs}: every associated IPv4 and IPv6 CIDR block, not just the primary
 * one (an address is "inside the VPC" when any of them holds it).
 */
public record Vpc(String vpcId, String ownerId, boolean isDefault, List<Cidr> cidrBlocks) {
    public Vpc {
        cidrBlocks = List.copyOf(cidrBlocks);
    }
}
