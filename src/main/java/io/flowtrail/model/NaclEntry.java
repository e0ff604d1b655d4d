package io.flowtrail.model;

/**
 * One network-ACL entry from {@code describe-network-acls}.
 *
 * @param ruleNumber 1-32766 for user rules; {@value #DEFAULT_IPV4} and {@value #DEFAULT_IPV6} for
 *     the fixed final deny ("{@code *}" in the console) of each address family
 * @param egress {@code false} for an inbound entry (matches the source), {@code true} for an
 *     outbound one (matches the destination)
 * @param protocol IANA number, {@link Protocols#ALL} for {@code -1}
 * @param fromPort first destination port of {@code PortRange}, {@code -1} when absent
 * @param toPort last destination port of {@code PortRange}, {@code -1} when absent
 * @param icmpType {@code IcmpTypeCode.Type}, {@code -1} for all or absent
 * @param icmpCode {@code IcmpTypeCode.Code}, {@code -1} for all or absent
 */
public record NaclEntry(
        String networkAclId,
        int ruleNumber,
        boolean egress,
        boolean allow,
        int protocol,
        Cidr cidr,
        int fromPort,
        int toPort,
        int icmpType,
        int icmpCode) {

    public static final int DEFAULT_IPV4 = 32767;
    public static final int DEFAULT_IPV6 = 32768;

    /** The fixed final deny of its family (shown as {@code *}). */
    public boolean isDefaultRule() {
        return ruleNumber >= DEFAULT_IPV4;
    }

    /** {@code acl-0abc#100}. */
    public String label() {
        return networkAclId + "#" + ruleNumber;
    }

    /** {@code #100} or {@code #* (32767)}: the entry's number as the console shows it. */
    public String numberText() {
        return isDefaultRule() ? "#* (" + ruleNumber + ")" : "#" + ruleNumber;
    }

    /** {@code TCP ports 1024-65535}, {@code ICMP type 8 code -1}, {@code all traffic}. */
    public String trafficText() {
        if (protocol == Protocols.ALL) {
            return "all traffic";
        }
        String name = Protocols.name(protocol);
        if (Protocols.hasPorts(protocol)) {
            if (fromPort == -1) {
                return name + " all ports";
            }
            return fromPort == toPort
                    ? name + " port " + fromPort
                    : name + " ports " + fromPort + "-" + toPort;
        }
        if (Protocols.isIcmp(protocol)) {
            if (icmpType == -1) {
                return name + " all types";
            }
            return name
                    + " type "
                    + icmpType
                    + (icmpCode == -1 ? " any code" : " code " + icmpCode);
        }
        return name;
    }

    /** {@code deny TCP port 3389 from 0.0.0.0/0}: the entry as a person reads it. */
    public String describe() {
        return (allow ? "allow " : "deny ") + trafficText() + (egress ? " to " : " from ") + cidr;
    }
}
