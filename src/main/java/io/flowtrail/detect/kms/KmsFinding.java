package io.flowtrail.detect.kms;

/**
 * One KMS call that a point-in-time rule flagged, as {@link KmsRuleDetector} counts it: which rule,
 * which entity (the detector's key), and what the alert tells. Made by {@link KmsFindings} in the
 * reading task, so only these (rare) records cross the shuffle. A Flink POJO.
 */
public class KmsFinding {
    /** Routing key: {@code detector|entity}. */
    public String key;

    public String detector;

    /** What the alert is about: a key ARN, or {@code principal|key}, or {@code key|account}. */
    public String entity;

    public long eventTimeMillis;
    public String eventId;
    public String eventName;
    public String keyArn;
    public String principalArn;
    public String sessionName;
    public String accountId;
    public String region;
    public String sourceIp;
    public String vpcEndpointId;
    public String errorCode;

    /** The other account involved: the caller's ({@code kms_cross_account}), a grantee's. */
    public String otherAccountId;

    /** 0 LOW, 1 MEDIUM, 2 HIGH. */
    public int severityRank;

    /** What about this call made it a finding, for a person: {@code pending window 7 days}. */
    public String detail;

    public KmsFinding() {}

    @Override
    public String toString() {
        return "KmsFinding{" + key + " " + eventName + " " + detail + "}";
    }
}
