package io.flowtrail.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * Every flow-log field that the AWS documentation lists, with the version that introduced it and
 * how its text is read. Names are exactly as on the wire ({@code log-status}); Parquet flow logs
 * name the same columns with underscores ({@code log_status}), which {@link #byName} accepts too.
 */
public enum FlowLogField {
    VERSION("version", 2, Kind.INT),
    ACCOUNT_ID("account-id", 2, Kind.TEXT),
    INTERFACE_ID("interface-id", 2, Kind.TEXT),
    SRCADDR("srcaddr", 2, Kind.ADDRESS),
    DSTADDR("dstaddr", 2, Kind.ADDRESS),
    SRCPORT("srcport", 2, Kind.PORT),
    DSTPORT("dstport", 2, Kind.PORT),
    PROTOCOL("protocol", 2, Kind.INT),
    PACKETS("packets", 2, Kind.LONG),
    BYTES("bytes", 2, Kind.LONG),
    START("start", 2, Kind.LONG),
    END("end", 2, Kind.LONG),
    ACTION("action", 2, Kind.ENUM),
    LOG_STATUS("log-status", 2, Kind.ENUM),
    VPC_ID("vpc-id", 3, Kind.TEXT),
    SUBNET_ID("subnet-id", 3, Kind.TEXT),
    INSTANCE_ID("instance-id", 3, Kind.TEXT),
    TCP_FLAGS("tcp-flags", 3, Kind.INT),
    TYPE("type", 3, Kind.ENUM),
    PKT_SRCADDR("pkt-srcaddr", 3, Kind.ADDRESS),
    PKT_DSTADDR("pkt-dstaddr", 3, Kind.ADDRESS),
    REGION("region", 4, Kind.TEXT),
    AZ_ID("az-id", 4, Kind.TEXT),
    SUBLOCATION_TYPE("sublocation-type", 4, Kind.TEXT),
    SUBLOCATION_ID("sublocation-id", 4, Kind.TEXT),
    PKT_SRC_AWS_SERVICE("pkt-src-aws-service", 5, Kind.TEXT),
    PKT_DST_AWS_SERVICE("pkt-dst-aws-service", 5, Kind.TEXT),
    FLOW_DIRECTION("flow-direction", 5, Kind.ENUM),
    TRAFFIC_PATH("traffic-path", 5, Kind.INT),
    ECS_CLUSTER_ARN("ecs-cluster-arn", 7, Kind.TEXT),
    ECS_CLUSTER_NAME("ecs-cluster-name", 7, Kind.TEXT),
    ECS_CONTAINER_INSTANCE_ARN("ecs-container-instance-arn", 7, Kind.TEXT),
    ECS_CONTAINER_INSTANCE_ID("ecs-container-instance-id", 7, Kind.TEXT),
    ECS_CONTAINER_ID("ecs-container-id", 7, Kind.TEXT),
    ECS_SECOND_CONTAINER_ID("ecs-second-container-id", 7, Kind.TEXT),
    ECS_SERVICE_NAME("ecs-service-name", 7, Kind.TEXT),
    ECS_TASK_DEFINITION_ARN("ecs-task-definition-arn", 7, Kind.TEXT),
    ECS_TASK_ARN("ecs-task-arn", 7, Kind.TEXT),
    ECS_TASK_ID("ecs-task-id", 7, Kind.TEXT),
    REJECT_REASON("reject-reason", 8, Kind.TEXT),
    /** Version not documented (newer than 8); read as text. */
    RESOURCE_ID("resource-id", 9, Kind.TEXT),
    /** Version not documented (newer than 8); 0 to 3. */
    ENCRYPTION_STATUS("encryption-status", 9, Kind.INT),
    /** A name in a header that this build does not know: the value is skipped. */
    UNKNOWN("?", 0, Kind.SKIPPED);

    /** How a field's text is read. */
    public enum Kind {
        INT,
        LONG,
        PORT,
        ADDRESS,
        TEXT,
        ENUM,
        SKIPPED
    }

    private static final Map<String, FlowLogField> BY_NAME = new HashMap<>();

    static {
        for (FlowLogField field : values()) {
            if (field != UNKNOWN) {
                BY_NAME.put(field.wireName, field);
                BY_NAME.put(field.wireName.replace('-', '_'), field);
            }
        }
    }

    private final String wireName;
    private final int version;
    private final Kind kind;

    FlowLogField(String wireName, int version, Kind kind) {
        this.wireName = wireName;
        this.version = version;
        this.kind = kind;
    }

    public String wireName() {
        return wireName;
    }

    public int version() {
        return version;
    }

    public Kind kind() {
        return kind;
    }

    /** The field with this name (hyphens or underscores), or {@code null}. */
    public static FlowLogField byName(String name) {
        return BY_NAME.get(name);
    }
}
