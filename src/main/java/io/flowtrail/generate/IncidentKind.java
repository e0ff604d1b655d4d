package io.flowtrail.generate;

import java.util.Locale;

/**
 * The incidents the generator can inject: one per detector, named like the detector, with the
 * category and the entity its alert is keyed by.
 */
public enum IncidentKind {
    VERTICAL_PORT_SCAN("port_scan", "src_addr", Source.FLOW_LOGS),
    HORIZONTAL_PORT_SCAN("port_scan", "src_addr", Source.FLOW_LOGS),
    REJECT_SPIKE("rejected_traffic_spike", "interface_id", Source.FLOW_LOGS),
    NEW_EXTERNAL_DESTINATION("unexpected_egress", "interface_id", Source.FLOW_LOGS),
    EGRESS_VOLUME_SPIKE("unexpected_egress", "interface_id", Source.FLOW_LOGS),
    SG_OPEN_ADMIN_PORT("config_posture", "group_id", Source.CONFIG),
    SG_OPEN_ALL_PORTS("config_posture", "group_id", Source.CONFIG),
    SG_MISSING_REFERENCE("config_posture", "group_id", Source.CONFIG),
    NACL_SHADOWED_RULE("config_posture", "network_acl_id", Source.CONFIG),
    PEERING_CIDR_OVERLAP("config_posture", "peering_connection_id", Source.CONFIG),
    KMS_KEY_DESTRUCTION("anomalous_key_usage", "key_arn", Source.CLOUDTRAIL),
    KMS_DECRYPT_BURST("anomalous_key_usage", "principal_arn", Source.CLOUDTRAIL),
    KMS_ACCESS_DENIED_BURST("anomalous_key_usage", "principal_arn", Source.CLOUDTRAIL),
    /**
     * A decrypt burst by an instance's session, then that instance uploading to a new destination
     * in the next window: labelled three times (the burst, the egress, and their correlation).
     */
    KEY_USAGE_THEN_EGRESS("correlated_incident", "instance_id", Source.BOTH);

    /** Where the incident shows. */
    public enum Source {
        FLOW_LOGS,
        CONFIG,
        CLOUDTRAIL,
        /** Flow logs and CloudTrail. */
        BOTH;

        boolean flowLogs() {
            return this == FLOW_LOGS || this == BOTH;
        }

        boolean cloudTrail() {
            return this == CLOUDTRAIL || this == BOTH;
        }
    }

    public final String category;
    public final String entityType;
    public final Source source;

    IncidentKind(String category, String entityType, Source source) {
        this.category = category;
        this.entityType = entityType;
        this.source = source;
    }

    /** The detector's name: {@code vertical_port_scan}, {@code reject_spike}, ... */
    public String detector() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By detector name; also the names sample-logs/ uses for the KMS incidents. */
    public static IncidentKind byDetector(String name) {
        for (IncidentKind k : values()) {
            if (k.detector().equals(name)) {
                return k;
            }
        }
        switch (name) {
            case "key_deletion_scheduled":
                return KMS_KEY_DESTRUCTION;
            case "decrypt_volume_spike":
                return KMS_DECRYPT_BURST;
            case "access_denied_burst":
                return KMS_ACCESS_DENIED_BURST;
            default:
                return null;
        }
    }
}
