package io.flowtrail.model;

/**
 * One security-group rule with exactly one peer (an {@code IpPermission} of {@code
 * describe-security-groups} with several ranges becomes several rules that share a label).
 *
 * <p>The peer is the source for an inbound rule and the destination for an outbound one: exactly
 * one of {@link #cidr}, {@link #prefixListId} and {@link #group} is set.
 *
 * @param label how Flowtrail names the rule in attributions: the AWS rule id ({@code sgr-...}) when
 *     the document carries one, else {@code <group>/<ingress|egress>/<n>} where {@code n} is the
 *     0-based position of the permission in {@code IpPermissions} or {@code IpPermissionsEgress}
 * @param ruleId the {@code sgr-} id when the document has one, else {@code null}
 * @param protocol IANA number, {@link Protocols#ALL} for {@code -1}
 * @param fromPort first port for TCP/UDP, ICMP type for ICMP/ICMPv6; {@code -1} for all
 * @param toPort last port for TCP/UDP, ICMP code for ICMP/ICMPv6; {@code -1} for all
 */
public record SecurityGroupRule(
        String groupId,
        boolean egress,
        String label,
        String ruleId,
        int protocol,
        int fromPort,
        int toPort,
        Cidr cidr,
        String prefixListId,
        GroupReference group,
        String description) {

    /** A rule whose peer is another security group ({@code UserIdGroupPairs}). */
    public record GroupReference(
            String groupId,
            String userId,
            String vpcId,
            String peeringConnectionId,
            String peeringStatus) {}

    public SecurityGroupRule {
        int peers =
                (cidr != null ? 1 : 0) + (prefixListId != null ? 1 : 0) + (group != null ? 1 : 0);
        if (peers != 1) {
            throw new IllegalArgumentException("a rule has exactly one peer, got " + peers);
        }
    }

    /** Every port of the protocol (or every protocol): {@code -1}, or TCP/UDP 0-65535. */
    public boolean allPorts() {
        if (protocol == Protocols.ALL) {
            return true;
        }
        if (Protocols.hasPorts(protocol)) {
            return (fromPort <= 1) && (toPort == -1 || toPort == 65535);
        }
        return !Protocols.isIcmp(protocol);
    }

    /** For TCP/UDP: whether {@code port} is in the rule's range (other protocols: true). */
    public boolean coversPort(int port) {
        if (!Protocols.hasPorts(protocol)) {
            return true;
        }
        return (fromPort == -1 || port >= fromPort) && (toPort == -1 || port <= toPort);
    }

    /**
     * {@code TCP 22}, {@code TCP 1024-65535}, {@code ICMP type 8 any code}, {@code all traffic}.
     */
    public String trafficText() {
        if (protocol == Protocols.ALL) {
            return "all traffic";
        }
        String name = Protocols.name(protocol);
        if (Protocols.hasPorts(protocol)) {
            if (fromPort == -1 && toPort == -1 || fromPort <= 0 && toPort == 65535) {
                return name + " all ports";
            }
            return fromPort == toPort
                    ? name + " port " + fromPort
                    : name + " ports " + fromPort + "-" + toPort;
        }
        if (Protocols.isIcmp(protocol)) {
            if (fromPort == -1) {
                return name + " all types";
            }
            return name + " type " + fromPort + (toPort == -1 ? " any code" : " code " + toPort);
        }
        return name;
    }

    /** The peer as text: a CIDR, a prefix-list id, or a group id (with its peering). */
    public String peerText() {
        if (cidr != null) {
            return cidr.toString();
        }
        if (prefixListId != null) {
            return "prefix list " + prefixListId;
        }
        String text = "members of " + group.groupId();
        if (group.peeringConnectionId() != null) {
            text += " (peered VPC " + group.vpcId() + " over " + group.peeringConnectionId() + ")";
        }
        return text;
    }

    /** {@code TCP port 22 from 10.0.0.0/8 "corp"}: the rule as a person reads it. */
    public String describe() {
        return trafficText()
                + (egress ? " to " : " from ")
                + peerText()
                + (description == null || description.isEmpty() ? "" : " \"" + description + "\"");
    }
}
