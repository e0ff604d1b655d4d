package io.flowtrail.model;

import java.util.List;

/**
 * A VPC peering connection from {@code describe-vpc-peering-connections}. Only an {@code active}
 * connection carries traffic.
 */
public record VpcPeeringConnection(
        String peeringConnectionId, Side requester, Side accepter, String status) {

    /** One VPC of the connection, with every CIDR block it announced (IPv4 and IPv6). */
    public record Side(String ownerId, String vpcId, String region, List<Cidr> cidrBlocks) {
        public Side {
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

    public boolean isActive() {
        return "active".equalsIgnoreCase(status);
    }

    /** The side that is not {@code vpcId}, or {@code null} when {@code vpcId} is neither. */
    public Side otherSide(String vpcId) {
        if (vpcId == null) {
            return null;
        }
        if (vpcId.equals(requester.vpcId())) {
            return accepter;
        }
        return vpcId.equals(accepter.vpcId()) ? requester : null;
    }
}
