package io.flowtrail.model;

import java.util.Objects;

/**
 * One CloudTrail record of an AWS KMS call ({@code eventSource} {@code kms.amazonaws.com}), with
 * the key and the principal resolved so that the key-usage detectors can key by them directly.
 *
 * <p><b>Key.</b> {@link #keyArn} is the key's ARN: from {@code resources[]} (type {@code
 * AWS::KMS::Key}), else from {@code requestParameters.keyId} (or {@code targetKeyId}) when that is
 * a key ARN, or a bare key id turned into an ARN with the event's region and the caller's account
 * (a bare id can only name a key of the calling account), else from {@code responseElements.keyId}
 * / {@code keyMetadata.arn}, else from {@code serviceEventDetails.keyId}. An alias the caller used
 * ({@code alias/x} or an alias ARN, or an alias resource) is kept as given in {@link #keyAlias};
 * the reader knows no alias-to-key mapping, so a call that names its key only by alias and has no
 * {@code resources} has a null {@link #keyArn}.
 *
 * <p><b>Principal.</b> {@link #principalArn} is who the call is charged to: for {@code AssumedRole}
 * the session issuer's role ARN ({@code sessionContext.sessionIssuer.arn}, else derived from the
 * {@code assumed-role} ARN), the session name in {@link #sessionName}; for {@code IAMUser}, {@code
 * Root}, {@code FederatedUser}, {@code Role} the identity's ARN (a Root without one gets {@code
 * arn:aws:iam::<account>:root}); for {@code AWSAccount} the other account's root ARN; for {@code
 * AWSService}, and for AWS-internal service events without a {@code type} ({@code RotateKey}), the
 * {@code invokedBy} service ({@code s3.amazonaws.com}, {@code AWS Internal}). A call that a service
 * made on a principal's behalf (S3 SSE-KMS) stays charged to that principal; {@link #invokedBy}
 * says which service made it.
 *
 * <p><b>Source.</b> {@link #sourceIp} is {@code sourceIPAddress} verbatim: an address, or for calls
 * made by AWS services a service name ({@code s3.amazonaws.com}) or {@code AWS Internal}; {@link
 * #sourceIpIsAddress()} tells them apart. Through an interface VPC endpoint it is the caller's
 * private address and {@link #vpcEndpointId} is set.
 *
 * <p><b>Encryption context.</b> Kept whole as compact JSON text in {@link #encryptionContext} (KMS
 * caps a context at 8 KB), plus its sorted keys in {@link #encryptionContextKeys}: the keys say
 * what kind of object is protected ({@code aws:s3:arn}, {@code aws:ebs:id}) and group well; the
 * values (one S3 object each) do not.
 *
 * <p>A Flink POJO (public fields, public no-argument constructor), serialized without Kryo.
 */
public class KmsEvent {
    /** Value of an absent numeric field. */
    public static final int ABSENT = -1;

    public long eventTimeMillis;
    public String eventId;
    public String eventName;

    /** {@code AwsApiCall} or {@code AwsServiceEvent}. */
    public String eventType;

    /** {@code awsRegion}. */
    public String region;

    public String recipientAccountId;

    /** Links the copies of one cross-account call delivered to each account. */
    public String sharedEventId;

    public String keyArn;

    /** The second key of a {@code ReEncrypt} (its destination), when known. */
    public String destinationKeyArn;

    /** The alias the caller named the key by, as given ({@code alias/x} or an alias ARN). */
    public String keyAlias;

    /** The account that owns the key: from its ARN, else from {@code resources[].accountId}. */
    public String keyAccountId;

    public String principalArn;

    /** {@code userIdentity.type}: {@code AssumedRole}, {@code IAMUser}, {@code AWSService}, ... */
    public String principalType;

    /** The role session's name (last segment of the assumed-role ARN); null otherwise. */
    public String sessionName;

    /** {@code userIdentity.accountId}. */
    public String callerAccountId;

    public String sourceIp;
    public String userAgent;
    public String vpcEndpointId;

    /** The AWS service that made the call on the principal's behalf. */
    public String invokedBy;

    public String errorCode;
    public String errorMessage;

    /** Null when the record does not say. */
    public Boolean readOnly;

    /** Null when the record does not say (records older than version 1.06). */
    public Boolean managementEvent;

    public String encryptionContext;
    public String encryptionContextKeys;

    // Grants: CreateGrant, RetireGrant, RevokeGrant.
    public String granteePrincipal;
    public String retiringPrincipal;

    /** {@code CreateGrant} operations joined with commas, in request order. */
    public String grantOperations;

    public String grantId;

    // Key management.
    /** {@code ScheduleKeyDeletion}: 7 to 30, or {@link #ABSENT}. */
    public int pendingWindowInDays = ABSENT;

    /** {@code EnableKeyRotation}: 90 to 2560, or {@link #ABSENT}. */
    public int rotationPeriodInDays = ABSENT;

    /**
     * {@code PutKeyPolicy} / {@code CreateKey}: the distinct principals the policy's {@code Allow}
     * statements name ({@code AWS} and {@code Service} principals, {@code *}), sorted, joined with
     * commas; null when there is no policy.
     */
    public String policyPrincipals;

    /** {@code ScheduleKeyDeletion}, {@code CreateKey}: the key state in the response. */
    public String keyState;

    /** Common prefix of this event's location, shared by all events of one input. */
    public String origin;

    /** Index, line or event number within {@link #origin}. */
    public long position;

    public KmsEvent() {}

    /** {@code file:Records[17]}, {@code file:line 5}, {@code file:envelope 2 event 3}. */
    public String location() {
        return CloudTrailValues.location(origin, position);
    }

    /** The call was refused for lack of permission (both spellings KMS uses). */
    public boolean isAccessDenied() {
        return CloudTrailValues.isAccessDenied(errorCode);
    }

    /** The caller's account is not the key's. */
    public boolean isCrossAccount() {
        return callerAccountId != null
                && keyAccountId != null
                && !callerAccountId.equals(keyAccountId);
    }

    /** {@link #sourceIp} is an IPv4 or IPv6 address, not a service name. */
    public boolean sourceIpIsAddress() {
        return CloudTrailValues.looksLikeAddress(sourceIp);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof KmsEvent)) {
            return false;
        }
        KmsEvent that = (KmsEvent) o;
        return eventTimeMillis == that.eventTimeMillis
                && pendingWindowInDays == that.pendingWindowInDays
                && rotationPeriodInDays == that.rotationPeriodInDays
                && position == that.position
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(eventName, that.eventName)
                && Objects.equals(eventType, that.eventType)
                && Objects.equals(region, that.region)
                && Objects.equals(recipientAccountId, that.recipientAccountId)
                && Objects.equals(sharedEventId, that.sharedEventId)
                && Objects.equals(keyArn, that.keyArn)
                && Objects.equals(destinationKeyArn, that.destinationKeyArn)
                && Objects.equals(keyAlias, that.keyAlias)
                && Objects.equals(keyAccountId, that.keyAccountId)
                && Objects.equals(principalArn, that.principalArn)
                && Objects.equals(principalType, that.principalType)
                && Objects.equals(sessionName, that.sessionName)
                && Objects.equals(callerAccountId, that.callerAccountId)
                && Objects.equals(sourceIp, that.sourceIp)
                && Objects.equals(userAgent, that.userAgent)
                && Objects.equals(vpcEndpointId, that.vpcEndpointId)
                && Objects.equals(invokedBy, that.invokedBy)
                && Objects.equals(errorCode, that.errorCode)
                && Objects.equals(errorMessage, that.errorMessage)
                && Objects.equals(readOnly, that.readOnly)
                && Objects.equals(managementEvent, that.managementEvent)
                && Objects.equals(encryptionContext, that.encryptionContext)
                && Objects.equals(encryptionContextKeys, that.encryptionContextKeys)
                && Objects.equals(granteePrincipal, that.granteePrincipal)
                && Objects.equals(retiringPrincipal, that.retiringPrincipal)
                && Objects.equals(grantOperations, that.grantOperations)
                && Objects.equals(grantId, that.grantId)
                && Objects.equals(policyPrincipals, that.policyPrincipals)
                && Objects.equals(keyState, that.keyState)
                && Objects.equals(origin, that.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTimeMillis, eventName, keyArn, principalArn);
    }

    @Override
    public String toString() {
        return "KmsEvent{"
                + CloudTrailValues.iso(eventTimeMillis)
                + " "
                + eventName
                + " key "
                + (keyArn != null ? keyArn : keyAlias)
                + " by "
                + principalArn
                + (sessionName != null ? " (" + sessionName + ")" : "")
                + " from "
                + sourceIp
                + (vpcEndpointId != null ? " via " + vpcEndpointId : "")
                + (errorCode != null ? " error " + errorCode : "")
                + " at "
                + location()
                + "}";
    }
}
