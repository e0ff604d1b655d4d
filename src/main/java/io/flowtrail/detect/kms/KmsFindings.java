package io.flowtrail.detect.kms;

import io.flowtrail.model.KmsEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The point-in-time rules of {@link KmsRuleDetector}: each KMS call becomes zero or more {@link
 * KmsFinding}s. Runs in the reading task, before the shuffle (most calls are none).
 *
 * <ul>
 *   <li>{@code kms_key_destruction} (HIGH, entity: the key): a successful {@code DisableKey},
 *       {@code ScheduleKeyDeletion} or {@code DeleteImportedKeyMaterial}. The {@code DeleteKey}
 *       service event at the end of the waiting period is not one: its scheduling was;
 *   <li>{@code kms_policy_change} (MEDIUM, entity: the key, or the account's custom key stores): a
 *       successful {@code PutKeyPolicy} (HIGH when the new policy allows {@code *} or an account
 *       that is neither the key's nor trusted), {@code CreateGrant} to a principal of another,
 *       untrusted account, {@code ImportKeyMaterial}, a custom key store change, {@code
 *       DisableKeyRotation}; calls made by an {@code ignore-services} service are left out;
 *   <li>{@code kms_cross_account} (MEDIUM, entity: key and calling account): the caller's account
 *       is not the key's and is not trusted. HIGH when a cryptographic call succeeded;
 *   <li>{@code kms_outside_vpc_endpoint} (MEDIUM, entity: principal and key): a call by a private
 *       principal or on a private key that did not come through an allowed VPC endpoint, or came
 *       from a source outside the allowed ranges. Calls AWS services make (S3 SSE-KMS on a
 *       principal's behalf) reach KMS from AWS's own network and are left out. HIGH when a
 *       cryptographic call succeeded.
 * </ul>
 *
 * <p>Failed management calls changed nothing and are not findings (the AccessDenied burst detector
 * watches refusals). Failed cross-account calls are, and so are failed calls of a private principal
 * outside its endpoint: they show where credentials are being used (a key policy that requires the
 * endpoint refuses stolen credentials used elsewhere; the attempt is the news). Anybody else
 * refused on a private key is the key policy working, and left to the AccessDenied burst detector.
 */
public final class KmsFindings implements FlatMapFunction<KmsEvent, KmsFinding> {
    private static final long serialVersionUID = 1L;

    public static final String DESTRUCTION = "kms_key_destruction";
    public static final String POLICY_CHANGE = "kms_policy_change";
    public static final String CROSS_ACCOUNT = "kms_cross_account";
    public static final String OUTSIDE_VPC_ENDPOINT = "kms_outside_vpc_endpoint";

    static final int LOW = 0;
    static final int MEDIUM = 1;
    static final int HIGH = 2;

    private final KmsParams params;

    public KmsFindings(KmsParams params) {
        this.params = params;
    }

    @Override
    public void flatMap(KmsEvent e, Collector<KmsFinding> out) {
        for (KmsFinding f : of(e, params)) {
            out.collect(f);
        }
    }

    /** The findings of one call. */
    public static List<KmsFinding> of(KmsEvent e, KmsParams p) {
        List<KmsFinding> found = new ArrayList<>(1);
        if (e.eventName == null) {
            return found;
        }
        boolean apiCall = !"AwsServiceEvent".equals(e.eventType);
        if (apiCall && e.errorCode == null && KmsCalls.DESTRUCTION.contains(e.eventName)) {
            found.add(finding(DESTRUCTION, keyEntity(e), e, HIGH, destructionDetail(e)));
        }
        if (apiCall && e.errorCode == null) {
            KmsFinding change = policyChange(e, p);
            if (change != null) {
                found.add(change);
            }
        }
        if (e.isCrossAccount() && !KmsCalls.byAwsService(e) && !p.trusted(e.callerAccountId)) {
            KmsFinding f =
                    finding(
                            CROSS_ACCOUNT,
                            keyEntity(e) + "|" + e.callerAccountId,
                            e,
                            dataUsed(e) ? HIGH : MEDIUM,
                            e.errorCode == null
                                    ? "account " + e.callerAccountId + " used the key"
                                    : "account " + e.callerAccountId + " refused: " + e.errorCode);
            f.otherAccountId = e.callerAccountId;
            found.add(f);
        }
        if (apiCall
                && e.invokedBy == null
                && !KmsCalls.byAwsService(e)
                && p.isPrivate(e)
                && (e.errorCode == null || p.privatePrincipals.contains(e.principalArn))
                && (!p.allowedEndpoint(e.vpcEndpointId) || !p.allowedSource(e.sourceIp))) {
            String why =
                    !p.allowedEndpoint(e.vpcEndpointId)
                            ? (e.vpcEndpointId == null
                                    ? "no VPC endpoint"
                                    : "through " + e.vpcEndpointId + ", not an allowed endpoint")
                            : "from " + e.sourceIp + ", outside the allowed source ranges";
            found.add(
                    finding(
                            OUTSIDE_VPC_ENDPOINT,
                            e.principalArn + "|" + keyEntity(e),
                            e,
                            dataUsed(e) ? HIGH : MEDIUM,
                            why));
        }
        return found;
    }

    private static KmsFinding policyChange(KmsEvent e, KmsParams p) {
        String service = KmsCalls.service(e);
        if (service != null && p.ignoredService(service)) {
            return null;
        }
        String keyAccount = e.keyAccountId != null ? e.keyAccountId : KmsCalls.account(e);
        switch (e.eventName) {
            case "PutKeyPolicy":
                {
                    List<String> foreign = foreignPrincipals(e.policyPrincipals, keyAccount, p);
                    KmsFinding f =
                            finding(
                                    POLICY_CHANGE,
                                    keyEntity(e),
                                    e,
                                    foreign.isEmpty() ? MEDIUM : HIGH,
                                    foreign.isEmpty()
                                            ? "key policy replaced"
                                            : "key policy replaced; it now allows "
                                                    + String.join(", ", foreign));
                    f.otherAccountId = foreign.isEmpty() ? null : foreign.get(0);
                    return f;
                }
            case "CreateGrant":
                {
                    String grantee = KmsCalls.accountOf(e.granteePrincipal);
                    if (grantee == null
                            || keyAccount == null
                            || grantee.equals(keyAccount)
                            || p.trusted(grantee)) {
                        return null;
                    }
                    KmsFinding f =
                            finding(
                                    POLICY_CHANGE,
                                    keyEntity(e),
                                    e,
                                    MEDIUM,
                                    "grant to "
                                            + e.granteePrincipal
                                            + (e.grantOperations != null
                                                    ? " for " + e.grantOperations
                                                    : ""));
                    f.otherAccountId = grantee;
                    return f;
                }
            case "ImportKeyMaterial":
                return finding(POLICY_CHANGE, keyEntity(e), e, MEDIUM, "key material imported");
            case "DisableKeyRotation":
                return finding(
                        POLICY_CHANGE, keyEntity(e), e, MEDIUM, "automatic rotation disabled");
            default:
                if (KmsCalls.CUSTOM_KEY_STORE.contains(e.eventName)) {
                    String entity = "custom-key-store:" + KmsCalls.account(e) + ":" + e.region;
                    return finding(
                            POLICY_CHANGE, entity, e, MEDIUM, "custom key store: " + e.eventName);
                }
                return null;
        }
    }

    /** Principals of a policy that are {@code *} or of an account neither the key's nor trusted. */
    static List<String> foreignPrincipals(String principals, String keyAccount, KmsParams p) {
        List<String> foreign = new ArrayList<>();
        if (principals == null || principals.isEmpty()) {
            return foreign;
        }
        for (String principal : principals.split(",")) {
            String pr = principal.trim();
            if (pr.equals("*")) {
                foreign.add(pr);
                continue;
            }
            String account = KmsCalls.accountOf(pr);
            if (account != null && !account.equals(keyAccount) && !p.trusted(account)) {
                foreign.add(pr);
            }
        }
        return foreign;
    }

    private static String destructionDetail(KmsEvent e) {
        switch (e.eventName) {
            case "ScheduleKeyDeletion":
                int days = e.pendingWindowInDays == KmsEvent.ABSENT ? 30 : e.pendingWindowInDays;
                return "deletion scheduled in " + days + " days";
            case "DisableKey":
                return "key disabled";
            default:
                return "imported key material deleted";
        }
    }

    /** A cryptographic call that succeeded: key material was used. */
    private static boolean dataUsed(KmsEvent e) {
        return e.errorCode == null && KmsCalls.CRYPTOGRAPHIC.contains(e.eventName);
    }

    /** The key, by ARN or the alias the caller used; calls naming neither share one entity. */
    static String keyEntity(KmsEvent e) {
        String key = KmsCalls.keyName(e);
        return key != null
                ? key
                : "unknown-key:" + KmsCalls.account(e) + ":" + String.valueOf(e.region);
    }

    private static KmsFinding finding(
            String detector, String entity, KmsEvent e, int severity, String detail) {
        KmsFinding f = new KmsFinding();
        f.detector = detector;
        f.entity = entity;
        f.key = detector + "|" + entity;
        f.eventTimeMillis = e.eventTimeMillis;
        f.eventId = e.eventId;
        f.eventName = e.eventName;
        f.keyArn = e.keyArn;
        f.principalArn = e.principalArn;
        f.sessionName = e.sessionName;
        f.accountId = KmsCalls.account(e);
        f.region = e.region;
        f.sourceIp = e.sourceIp;
        f.vpcEndpointId = e.vpcEndpointId;
        f.errorCode = e.errorCode;
        f.severityRank = severity;
        f.detail = detail;
        return f;
    }

    static String severityName(int rank) {
        return rank >= HIGH ? "HIGH" : rank == MEDIUM ? "MEDIUM" : "LOW";
    }
}
