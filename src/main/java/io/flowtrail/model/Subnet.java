package io.flowtrail.model;

import java.util.List;

/** A subnet from {@code describe-subnets}: its IPv4 block and any IPv6 blocks. */
public record Subnet(
        String subnetId,
        String vpcId,
        String ownerId,
        List<Cidr> cidrBlocks,
        String availabilityZone,
        String availabilityZoneId) {
    public Subnet {
        cidrBlocks = List.copyOf(cidrBlocks);
    }

    public boolean contains(byte family, long hi, long lo) {
        for (Cidr cidr : cidrBlocks) {
            if (cidr.contains(family, hi, lo)) {
                return true;
            }
        }
        return false;
    }
}
