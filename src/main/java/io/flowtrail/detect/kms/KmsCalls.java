package io.flowtrail.detect.kms;

import io.flowtrail.model.KmsEvent;
import java.util.Set;
import java.util.regex.Pattern;

/** What the KMS detectors need to know about KMS calls: groups of event names, who made a call. */
public final class KmsCalls {
    /** The category of every KMS detector. */
    public static final String CATEGORY = "anomalous_key_usage";

    /** Operations that use key material ({@code GenerateRandom} names no key). */
    public static final Set<String> CRYPTOGRAPHIC =
            Set.of(
                    "Encrypt",
                    "Decrypt",
                    "ReEncrypt",
                    "GenerateDataKey",
                    "GenerateDataKeyWithoutPlaintext",
                    "GenerateDataKeyPair",
                    "GenerateDataKeyPairWithoutPlaintext",
                    "Sign",
                    "Verify",
                    "GenerateMac",
                    "VerifyMac",
                    "DeriveSharedSecret",
                    "GetPublicKey");

    /** Calls that make a key's data unreadable. */
    public static final Set<String> DESTRUCTION =
            Set.of("DisableKey", "ScheduleKeyDeletion", "DeleteImportedKeyMaterial");

    /** Custom key store changes (they name a key store, not a key). */
    public static final Set<String> CUSTOM_KEY_STORE =
            Set.of(
                    "CreateCustomKeyStore",
                    "ConnectCustomKeyStore",
                    "DisconnectCustomKeyStore",
                    "UpdateCustomKeyStore",
                    "DeleteCustomKeyStore");

    private static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    private KmsCalls() {}

    /**
     * The call was made by AWS itself, not charged to one of the account's principals: an {@code
     * AWSService} principal ({@code s3.amazonaws.com}) or an AWS-internal service event ({@code
     * RotateKey}). Calls a service made on a principal's behalf are the principal's.
     */
    public static boolean byAwsService(KmsEvent e) {
        return "AWSService".equals(e.principalType)
                || "AwsServiceEvent".equals(e.eventType)
                || e.principalArn == null
                || !e.principalArn.startsWith("arn:");
    }

    /** The service that made the call: {@code invokedBy}, or the AWS-service principal. */
    public static String service(KmsEvent e) {
        if (e.invokedBy != null) {
            return e.invokedBy;
        }
        return byAwsService(e) ? e.principalArn : null;
    }

    /** The session name when it is an EC2 instance id ({@code i-0123456789abcdef0}), else null. */
    public static String instanceIdOf(String sessionName) {
        return sessionName != null && INSTANCE_ID.matcher(sessionName).matches()
                ? sessionName
                : null;
    }

    /** The account of an ARN ({@code arn:aws:iam::111122223333:role/x}) or a bare account id. */
    public static String accountOf(String arnOrAccount) {
        if (arnOrAccount == null) {
            return null;
        }
        if (ACCOUNT.matcher(arnOrAccount).matches()) {
            return arnOrAccount;
        }
        if (!arnOrAccount.startsWith("arn:")) {
            return null;
        }
        String[] parts = arnOrAccount.split(":", 6);
        return parts.length >= 5 && ACCOUNT.matcher(parts[4]).matches() ? parts[4] : null;
    }

    /** The account whose trail holds the call: the recipient, else the key's, else the caller's. */
    public static String account(KmsEvent e) {
        if (e.recipientAccountId != null) {
            return e.recipientAccountId;
        }
        return e.keyAccountId != null ? e.keyAccountId : e.callerAccountId;
    }

    /** How a key is named when its ARN is unknown: the alias the caller used. */
    public static String keyName(KmsEvent e) {
        return e.keyArn != null ? e.keyArn : e.keyAlias;
    }

    /** A short form of a key ARN for titles: {@code key/1234abcd-...}. */
    static String shortKey(String keyArn) {
        if (keyArn == null) {
            return "an unknown key";
        }
        int i = keyArn.lastIndexOf(":");
        return i >= 0 && keyArn.startsWith("arn:") ? keyArn.substring(i + 1) : keyArn;
    }

    /** A short form of a principal ARN for titles: {@code role/x}, {@code user/bob}. */
    static String shortPrincipal(String principalArn) {
        if (principalArn == null) {
            return "an unknown principal";
        }
        int i = principalArn.lastIndexOf(":");
        return i >= 0 && principalArn.startsWith("arn:")
                ? principalArn.substring(i + 1)
                : principalArn;
    }

    /** A 64-bit FNV-1a hash of a text: stable across runs and JVMs. */
    public static long hash64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
