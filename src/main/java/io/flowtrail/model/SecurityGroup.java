package io.flowtrail.model;

import java.util.List;

/**
 * A security group from {@code describe-security-groups} (or assembled from {@code
 * describe-security-group-rules}, which names only the group's id and owner): allow-only rules,
 * inbound and outbound.
 */
public record SecurityGroup(
        String groupId,
        String groupName,
        String vpcId,
        String ownerId,
        String description,
        List<SecurityGroupRule> ingress,
        List<SecurityGroupRule> egress) {
    public SecurityGroup {
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /** The same group with another set of rules. */
    public SecurityGroup withRules(
            List<SecurityGroupRule> ingress, List<SecurityGroupRule> egress) {
        return new SecurityGroup(groupId, groupName, vpcId, ownerId, description, ingress, egress);
    }

    /** {@code sg-0abc (web)}, or the id alone when the group has no name. */
    public String displayName() {
        return groupName == null || groupName.isEmpty()
                ? groupId
                : groupId + " (" + groupName + ")";
    }
}
