package io.flowtrail.detect.kms;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowtrail.model.Cidr;
import io.flowtrail.model.IpAddress;
import io.flowtrail.model.KmsEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Job-file keys of {@code detectors.anomalous-key-usage}. Defaults come from how real accounts use
 * KMS:
 *
 * <ul>
 *   <li>crypto volume per (key, principal) spans orders of magnitude (an application with data-key
 *       caching makes a few calls a minute, S3 SSE-KMS without bucket keys thousands), so a burst
 *       is judged against the pair's own history, with a floor, and only after a warm-up;
 *   <li>nightly or weekly bulk jobs are normal: a volume the pair already reached in the last week
 *       ({@link #burstPeakFactor}) is not a burst;
 *   <li>the principals of a key change slowly (new services, new roles): a week of warm-up per key
 *       before a first use is news, and a principal forgotten after a month of silence;
 *   <li>a misconfigured application gets AccessDenied on one key for one call, over and over: that
 *       is not reconnaissance; denials across several keys or several calls are;
 *   <li>AWS services create grants and use keys on their own (EBS, RDS, Lambda, S3): their calls
 *       are not policy changes made by a person.
 * </ul>
 *
 * <p>Duration keys (strings such as {@code 30m}, parsed with {@code JobSpec.parseDuration}): {@code
 * suppress-for}, {@code burst-forget-after}, {@code new-principal-warm-up}, {@code
 * new-principal-remember-for}, {@code correlation-window}.
 */
public final class KmsParams implements Serializable {
    private static final long serialVersionUID = 1L;

    // ------------------------------------------------------------------ all detectors

    /**
     * Accounts whose principals may use and be granted this trail's keys (partners, the
     * organization's other accounts): no {@code kms_cross_account} alert, and grants or policies
     * naming them are not {@code kms_policy_change}s.
     */
    @JsonProperty("trusted-accounts")
    public List<String> trustedAccounts = new ArrayList<>();

    /**
     * Services whose calls ({@code userIdentity.invokedBy}, or an {@code AWSService} principal) are
     * not policy changes: they create and retire grants on their own for volumes, databases,
     * functions. A {@code *} matches any run of characters ({@code *.amazonaws.com}).
     */
    @JsonProperty("ignore-services")
    public List<String> ignoreServices =
            new ArrayList<>(
                    List.of(
                            "AWS Internal",
                            "ec2.amazonaws.com",
                            "ebs.amazonaws.com",
                            "rds.amazonaws.com",
                            "elasticfilesystem.amazonaws.com",
                            "fsx.amazonaws.com",
                            "lambda.amazonaws.com",
                            "secretsmanager.amazonaws.com",
                            "dynamodb.amazonaws.com",
                            "redshift.amazonaws.com",
                            "backup.amazonaws.com",
                            "s3.amazonaws.com",
                            "workspaces.amazonaws.com",
                            "autoscaling.amazonaws.com"));

    /**
     * After an alert of {@code kms_decrypt_burst}, {@code kms_access_denied_burst}, {@code
     * kms_cross_account} or {@code kms_outside_vpc_endpoint}, the same entity raises no new alert
     * of that detector for this long (an ongoing burst is one alert). Key destruction and policy
     * changes are never suppressed: each window with one is an alert.
     */
    @JsonProperty("suppress-for")
    public String suppressFor = "1h";

    // ------------------------------------------------------------------ kms_decrypt_burst

    /** The calls counted: the ones that hand out plaintext key material. */
    @JsonProperty("burst-event-names")
    public List<String> burstEventNames =
            new ArrayList<>(List.of("Decrypt", "GenerateDataKey", "GenerateDataKeyPair"));

    /** Calls per window a (key, principal) pair must reach, whatever its baseline. */
    @JsonProperty("burst-floor")
    public long burstFloor = 100;

    /** Fire above the pair's baseline mean by this many standard deviations. */
    @JsonProperty("burst-k")
    public double burstK = 4.0;

    /** The standard deviation used is at least this (a flat history is not zero risk). */
    @JsonProperty("burst-min-stddev")
    public double burstMinStddev = 10.0;

    /** Windows of history a pair needs before its baseline is trusted. */
    @JsonProperty("burst-warm-up-windows")
    public int burstWarmUpWindows = 6;

    /** Until then, a pair fires only at this many calls per window. */
    @JsonProperty("burst-cold-start-floor")
    public long burstColdStartFloor = 1000;

    /**
     * A window must also exceed the pair's largest window of the last {@link #burstPeakDays} days
     * by this factor: a nightly bulk job the pair already ran is not a burst.
     */
    @JsonProperty("burst-peak-factor")
    public double burstPeakFactor = 1.5;

    /** Days of per-day peaks remembered for {@link #burstPeakFactor}. */
    @JsonProperty("burst-peak-days")
    public int burstPeakDays = 7;

    /** A pair quiet for this long forgets its baseline and peaks (and its state expires). */
    @JsonProperty("burst-forget-after")
    public String burstForgetAfter = "7d";

    // ------------------------------------------------------------------ kms_new_principal

    /** How long a key is watched, learning its principals, before a first use is reported. */
    @JsonProperty("new-principal-warm-up")
    public String newPrincipalWarmUp = "7d";

    /** A principal that has not used a key for this long is new again when it returns. */
    @JsonProperty("new-principal-remember-for")
    public String newPrincipalRememberFor = "30d";

    /**
     * Principals remembered per key; beyond it (after forgetting the expired ones) new principals
     * are not learned, nor reported.
     */
    @JsonProperty("new-principal-max-per-key")
    public int newPrincipalMaxPerKey = 1000;

    // ------------------------------------------------------------------ kms_access_denied_burst

    /** AccessDenied answers one principal must collect in a window. */
    @JsonProperty("denied-min-calls")
    public long deniedMinCalls = 10;

    /** ... across at least this many distinct keys ... */
    @JsonProperty("denied-min-keys")
    public int deniedMinKeys = 3;

    /** ... or at least this many distinct calls (event names). */
    @JsonProperty("denied-min-event-names")
    public int deniedMinEventNames = 3;

    // ------------------------------------------------------------------ kms_outside_vpc_endpoint

    /**
     * Keys meant to be used only through PrivateLink: key ARNs, or bare key ids ({@code
     * 1234abcd-...}) matching any region and account.
     */
    @JsonProperty("private-keys")
    public List<String> privateKeys = new ArrayList<>();

    /** Principals (role or user ARNs, as Flowtrail resolves them) meant to call KMS privately. */
    @JsonProperty("private-principals")
    public List<String> privatePrincipals = new ArrayList<>();

    /** The VPC endpoints private calls may come through; empty: any endpoint. */
    @JsonProperty("allowed-vpc-endpoints")
    public List<String> allowedVpcEndpoints = new ArrayList<>();

    /** The source addresses private calls may come from, as CIDRs; empty: any address. */
    @JsonProperty("allowed-source-cidrs")
    public List<String> allowedSourceCidrs = new ArrayList<>();

    // ------------------------------------------------------------------ correlation

    /**
     * {@code key_usage_then_egress}: unexpected egress from the instance must start within this
     * long after the end of the window of its Decrypt burst or new-principal alert; {@code
     * config_change_then_rejects}: a rejected-traffic spike must start within this long after the
     * configuration change.
     */
    @JsonProperty("correlation-window")
    public String correlationWindow = "30m";

    @JsonProperty("enabled")
    public boolean enabled = true;

    private transient List<Cidr> allowedCidrs;
    private transient Set<String> privateKeyIds;

    public KmsParams() {}

    /** Checks every value except the durations; returns an error naming the key, or null. */
    public String validate() {
        if (trustedAccounts == null
                || ignoreServices == null
                || burstEventNames == null
                || privateKeys == null
                || privatePrincipals == null
                || allowedVpcEndpoints == null
                || allowedSourceCidrs == null) {
            return "trusted-accounts, ignore-services, burst-event-names, private-keys,"
                    + " private-principals, allowed-vpc-endpoints, allowed-source-cidrs: expected"
                    + " a list (write [] for none)";
        }
        for (String a : trustedAccounts) {
            if (a == null || !a.matches("[0-9]{12}")) {
                return "trusted-accounts: expected 12-digit account ids, got '" + a + "'";
            }
        }
        if (burstEventNames.isEmpty()) {
            return "burst-event-names: expected at least one KMS event name such as Decrypt";
        }
        if (burstFloor < 1 || burstColdStartFloor < 1) {
            return "burst-floor: expected 1 or more (and burst-cold-start-floor too)";
        }
        if (burstK <= 0) {
            return "burst-k: expected more than 0";
        }
        if (burstMinStddev < 0) {
            return "burst-min-stddev: expected 0 or more";
        }
        if (burstWarmUpWindows < 1) {
            return "burst-warm-up-windows: expected 1 or more";
        }
        if (burstPeakFactor < 1) {
            return "burst-peak-factor: expected 1 or more";
        }
        if (burstPeakDays < 1 || burstPeakDays > 366) {
            return "burst-peak-days: expected 1 to 366";
        }
        if (newPrincipalMaxPerKey < 1) {
            return "new-principal-max-per-key: expected 1 or more";
        }
        if (deniedMinCalls < 1) {
            return "denied-min-calls: expected 1 or more";
        }
        if (deniedMinKeys < 1) {
            return "denied-min-keys: expected 1 or more";
        }
        if (deniedMinEventNames < 1) {
            return "denied-min-event-names: expected 1 or more";
        }
        for (String k : privateKeys) {
            if (k == null || k.isBlank() || k.startsWith("alias/")) {
                return "private-keys: expected key ARNs or key ids (not aliases), got '" + k + "'";
            }
        }
        for (String p : privatePrincipals) {
            if (p == null || !p.startsWith("arn:")) {
                return "private-principals: expected principal ARNs, got '" + p + "'";
            }
        }
        for (String v : allowedVpcEndpoints) {
            if (v == null || !v.startsWith("vpce-")) {
                return "allowed-vpc-endpoints: expected VPC endpoint ids (vpce-...), got '"
                        + v
                        + "'";
            }
        }
        for (String c : allowedSourceCidrs) {
            if (Cidr.tryParse(c) == null) {
                return "allowed-source-cidrs: expected CIDRs such as 10.0.0.0/16, got '" + c + "'";
            }
        }
        return null;
    }

    /** The account is one of {@link #trustedAccounts}. */
    public boolean trusted(String accountId) {
        return accountId != null && trustedAccounts.contains(accountId);
    }

    /** The service is one of {@link #ignoreServices} (with {@code *} patterns). */
    public boolean ignoredService(String service) {
        if (service == null) {
            return false;
        }
        for (String pattern : ignoreServices) {
            if (glob(pattern, service)) {
                return true;
            }
        }
        return false;
    }

    /** The call names a private key or is made by a private principal. */
    public boolean isPrivate(KmsEvent e) {
        if (e.principalArn != null && privatePrincipals.contains(e.principalArn)) {
            return true;
        }
        if (e.keyArn == null || privateKeys.isEmpty()) {
            return false;
        }
        if (privateKeyIds == null) {
            Set<String> ids = new HashSet<>();
            for (String k : privateKeys) {
                ids.add(k.contains("key/") ? k.substring(k.lastIndexOf("key/") + 4) : k);
            }
            privateKeyIds = ids;
        }
        return privateKeys.contains(e.keyArn)
                || privateKeyIds.contains(e.keyArn.substring(e.keyArn.lastIndexOf('/') + 1));
    }

    /** The endpoint is allowed for private calls: any endpoint when the list is empty. */
    public boolean allowedEndpoint(String vpcEndpointId) {
        if (vpcEndpointId == null || !vpcEndpointId.startsWith("vpce-")) {
            return false;
        }
        return allowedVpcEndpoints.isEmpty() || allowedVpcEndpoints.contains(vpcEndpointId);
    }

    /** The source is allowed for private calls: any source when the list is empty. */
    public boolean allowedSource(String sourceIp) {
        if (allowedSourceCidrs.isEmpty()) {
            return true;
        }
        IpAddress a = IpAddress.tryParse(sourceIp);
        if (a == null) {
            return false;
        }
        if (allowedCidrs == null) {
            List<Cidr> list = new ArrayList<>();
            for (String c : allowedSourceCidrs) {
                list.add(Cidr.parse(c));
            }
            allowedCidrs = list;
        }
        for (Cidr c : allowedCidrs) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    static boolean glob(String pattern, String text) {
        if (pattern == null) {
            return false;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(text);
        }
        String[] parts = pattern.split("\\*", -1);
        if (!text.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = text.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return text.length() - at >= last.length() && text.endsWith(last);
    }
}
