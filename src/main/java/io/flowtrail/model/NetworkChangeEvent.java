package io.flowtrail.model;

import java.util.Objects;
import java.util.Set;

/**
 * One CloudTrail record of an EC2 call that changes the network configuration flows are evaluated
 * against: security groups and their rules, network ACLs and their entries and associations,
 * interface attributes (security groups of an interface), routes and route-table associations. Kept
 * to correlate with rejected-traffic spikes and with the configuration snapshots: a change here
 * explains why traffic started or stopped being rejected.
 *
 * <p>The ids and the NACL entry fields are lifted out of {@code requestParameters} (and {@code
 * responseElements} for creations); everything else the call asked for is in {@link
 * #requestParameters}, the request's compact JSON text (security-group rule lists, descriptions).
 * CloudTrail omits request parameters larger than 100 KB, which bounds it.
 *
 * <p>A Flink POJO (public fields, public no-argument constructor), serialized without Kryo.
 */
public class NetworkChangeEvent {
    /** Value of an absent numeric field. */
    public static final int ABSENT = -1;

    /**
     * The {@code ec2.amazonaws.com} event names that are network changes. Other EC2 calls ({@code
     * DescribeInstances}, {@code RunInstances}, ...) are counted and skipped by the reader.
     */
    public static final Set<String> EVENT_NAMES =
            Set.of(
                    "AuthorizeSecurityGroupIngress",
                    "AuthorizeSecurityGroupEgress",
                    "RevokeSecurityGroupIngress",
                    "RevokeSecurityGroupEgress",
                    "ModifySecurityGroupRules",
                    "UpdateSecurityGroupRuleDescriptionsIngress",
                    "UpdateSecurityGroupRuleDescriptionsEgress",
                    "CreateSecurityGroup",
                    "DeleteSecurityGroup",
                    "CreateNetworkAcl",
                    "DeleteNetworkAcl",
                    "CreateNetworkAclEntry",
                    "ReplaceNetworkAclEntry",
                    "DeleteNetworkAclEntry",
                    "ReplaceNetworkAclAssociation",
                    "ModifyNetworkInterfaceAttribute",
                    "CreateNetworkInterface",
                    "DeleteNetworkInterface",
                    "AttachNetworkInterface",
                    "DetachNetworkInterface",
                    "CreateRoute",
                    "ReplaceRoute",
                    "DeleteRoute",
                    "CreateRouteTable",
                    "DeleteRouteTable",
                    "AssociateRouteTable",
                    "DisassociateRouteTable",
                    "ReplaceRouteTableAssociation",
                    "CreateVpcEndpoint",
                    "ModifyVpcEndpoint",
                    "DeleteVpcEndpoints");

    public long eventTimeMillis;
    public String eventId;
    public String eventName;
    public String region;

    /** The account whose network changed: {@code recipientAccountId}, else the caller's. */
    public String accountId;

    /** Resolved as for {@link KmsEvent#principalArn}. */
    public String principalArn;

    public String principalType;
    public String sourceIp;
    public String userAgent;

    public String groupId;
    public String networkAclId;
    public String networkInterfaceId;
    public String routeTableId;
    public String vpcId;

    // Network ACL entries (Create/Replace/DeleteNetworkAclEntry).
    public int ruleNumber = ABSENT;

    /** Null when the request does not say. */
    public Boolean egress;

    /** {@code allow} or {@code deny}. */
    public String ruleAction;

    /** {@code aclProtocol} as given: a protocol number, or {@code -1} for all. */
    public String protocol;

    /** {@code cidrBlock} or {@code ipv6CidrBlock}. */
    public String cidrBlock;

    public int fromPort = ABSENT;
    public int toPort = ABSENT;

    /** {@code requestParameters} as compact JSON text; null when the record has none. */
    public String requestParameters;

    public String errorCode;
    public String errorMessage;

    /** Common prefix of this event's location, shared by all events of one input. */
    public String origin;

    /** Index, line or event number within {@link #origin}. */
    public long position;

    public NetworkChangeEvent() {}

    /** {@code file:Records[17]}, {@code file:line 5}, {@code file:envelope 2 event 3}. */
    public String location() {
        return CloudTrailValues.location(origin, position);
    }

    /** The call failed: it changed nothing. */
    public boolean failed() {
        return errorCode != null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NetworkChangeEvent)) {
            return false;
        }
        NetworkChangeEvent that = (NetworkChangeEvent) o;
        return eventTimeMillis == that.eventTimeMillis
                && ruleNumber == that.ruleNumber
                && fromPort == that.fromPort
                && toPort == that.toPort
                && position == that.position
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(eventName, that.eventName)
                && Objects.equals(region, that.region)
                && Objects.equals(accountId, that.accountId)
                && Objects.equals(principalArn, that.principalArn)
                && Objects.equals(principalType, that.principalType)
                && Objects.equals(sourceIp, that.sourceIp)
                && Objects.equals(userAgent, that.userAgent)
                && Objects.equals(groupId, that.groupId)
                && Objects.equals(networkAclId, that.networkAclId)
                && Objects.equals(networkInterfaceId, that.networkInterfaceId)
                && Objects.equals(routeTableId, that.routeTableId)
                && Objects.equals(vpcId, that.vpcId)
                && Objects.equals(egress, that.egress)
                && Objects.equals(ruleAction, that.ruleAction)
                && Objects.equals(protocol, that.protocol)
                && Objects.equals(cidrBlock, that.cidrBlock)
                && Objects.equals(requestParameters, that.requestParameters)
                && Objects.equals(errorCode, that.errorCode)
                && Objects.equals(errorMessage, that.errorMessage)
                && Objects.equals(origin, that.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTimeMillis, eventName, accountId);
    }

    @Override
    public String toString() {
        String target =
                groupId != null
                        ? groupId
                        : networkAclId != null
                                ? networkAclId
                                : networkInterfaceId != null ? networkInterfaceId : routeTableId;
        return "NetworkChangeEvent{"
                + CloudTrailValues.iso(eventTimeMillis)
                + " "
                + eventName
                + " "
                + target
                + (ruleNumber != ABSENT ? " rule " + ruleNumber : "")
                + " by "
                + principalArn
                + (errorCode != null ? " error " + errorCode : "")
                + " at "
                + location()
                + "}";
    }
}
