package io.flowtrail.parse;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;

/**
 * Writes a typed {@link FlowRecord} back as a flow-log line of a given format, {@code -} for every
 * absent value. Independent of the parser: it reads the record's typed slots only, so a test that
 * compares the rendering with the input line checks every field landed in the right slot with the
 * right value (packets in {@code packets}, not in {@code bytes}).
 */
final class FlowRecordText {
    private FlowRecordText() {}

    static String render(FlowRecord r, FlowLogFormat format) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < format.size(); i++) {
            if (i > 0) {
                line.append(' ');
            }
            String value = value(r, format.field(i));
            line.append(value == null ? "-" : value);
        }
        return line.toString();
    }

    private static String value(FlowRecord r, FlowLogField field) {
        switch (field) {
            case VERSION:
                return number(r.version);
            case ACCOUNT_ID:
                return r.accountId;
            case INTERFACE_ID:
                return r.interfaceId;
            case SRCADDR:
                return IpAddresses.format(r.srcFamily, r.srcHi, r.srcLo);
            case DSTADDR:
                return IpAddresses.format(r.dstFamily, r.dstHi, r.dstLo);
            case SRCPORT:
                return number(r.srcPort);
            case DSTPORT:
                return number(r.dstPort);
            case PROTOCOL:
                return number(r.protocol);
            case PACKETS:
                return number(r.packets);
            case BYTES:
                return number(r.bytes);
            case START:
                return number(r.start);
            case END:
                return number(r.end);
            case ACTION:
                return FlowRecord.actionName(r.action);
            case LOG_STATUS:
                return logStatus(r.logStatus);
            case VPC_ID:
                return r.vpcId;
            case SUBNET_ID:
                return r.subnetId;
            case INSTANCE_ID:
                return r.instanceId;
            case TCP_FLAGS:
                return number(r.tcpFlags);
            case TYPE:
                return type(r.type);
            case PKT_SRCADDR:
                return IpAddresses.format(r.pktSrcFamily, r.pktSrcHi, r.pktSrcLo);
            case PKT_DSTADDR:
                return IpAddresses.format(r.pktDstFamily, r.pktDstHi, r.pktDstLo);
            case REGION:
                return r.region;
            case AZ_ID:
                return r.azId;
            case SUBLOCATION_TYPE:
                return r.sublocationType;
            case SUBLOCATION_ID:
                return r.sublocationId;
            case PKT_SRC_AWS_SERVICE:
                return r.pktSrcAwsService;
            case PKT_DST_AWS_SERVICE:
                return r.pktDstAwsService;
            case FLOW_DIRECTION:
                return r.flowDirection == FlowRecord.DIRECTION_UNKNOWN
                        ? null
                        : FlowRecord.directionName(r.flowDirection);
            case TRAFFIC_PATH:
                return number(r.trafficPath);
            case ECS_CLUSTER_ARN:
                return r.ecsClusterArn;
            case ECS_CLUSTER_NAME:
                return r.ecsClusterName;
            case ECS_CONTAINER_INSTANCE_ARN:
                return r.ecsContainerInstanceArn;
            case ECS_CONTAINER_INSTANCE_ID:
                return r.ecsContainerInstanceId;
            case ECS_CONTAINER_ID:
                return r.ecsContainerId;
            case ECS_SECOND_CONTAINER_ID:
                return r.ecsSecondContainerId;
            case ECS_SERVICE_NAME:
                return r.ecsServiceName;
            case ECS_TASK_DEFINITION_ARN:
                return r.ecsTaskDefinitionArn;
            case ECS_TASK_ARN:
                return r.ecsTaskArn;
            case ECS_TASK_ID:
                return r.ecsTaskId;
            case REJECT_REASON:
                return r.rejectReason;
            case RESOURCE_ID:
                return r.resourceId;
            case ENCRYPTION_STATUS:
                return number(r.encryptionStatus);
            default:
                return "<skipped>";
        }
    }

    private static String number(long value) {
        return value == FlowRecord.ABSENT ? null : Long.toString(value);
    }

    private static String logStatus(byte status) {
        switch (status) {
            case FlowRecord.STATUS_OK:
                return "OK";
            case FlowRecord.STATUS_NODATA:
                return "NODATA";
            case FlowRecord.STATUS_SKIPDATA:
                return "SKIPDATA";
            default:
                return null;
        }
    }

    private static String type(byte type) {
        switch (type) {
            case FlowRecord.TYPE_IPV4:
                return "IPv4";
            case FlowRecord.TYPE_IPV6:
                return "IPv6";
            case FlowRecord.TYPE_EFA:
                return "EFA";
            default:
                return null;
        }
    }
}
