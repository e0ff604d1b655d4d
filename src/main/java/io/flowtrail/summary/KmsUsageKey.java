package io.flowtrail.summary;

import io.flowtrail.model.KmsEvent;
import java.util.Objects;

/**
 * The grouping of a {@code kms_usage} row within its window: account, region, key, principal and
 * operation. A Flink POJO, used as the window's key.
 */
public class KmsUsageKey {
    public String accountId;
    public String region;
    public String keyArn;
    public String principalArn;
    public String eventName;

    public KmsUsageKey() {}

    /** The row a call counts in; the account is the one whose trail recorded it. */
    public static KmsUsageKey of(KmsEvent e) {
        KmsUsageKey k = new KmsUsageKey();
        k.accountId =
                e.recipientAccountId != null
                        ? e.recipientAccountId
                        : e.keyAccountId != null ? e.keyAccountId : e.callerAccountId;
        k.region = e.region;
        k.keyArn = e.keyArn;
        k.principalArn = e.principalArn;
        k.eventName = e.eventName;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KmsUsageKey)) {
            return false;
        }
        KmsUsageKey k = (KmsUsageKey) o;
        return Objects.equals(keyArn, k.keyArn)
                && Objects.equals(principalArn, k.principalArn)
                && Objects.equals(eventName, k.eventName)
                && Objects.equals(accountId, k.accountId)
                && Objects.equals(region, k.region);
    }

    @Override
    public int hashCode() {
        int h = Objects.hashCode(keyArn);
        h = 31 * h + Objects.hashCode(principalArn);
        h = 31 * h + Objects.hashCode(eventName);
        h = 31 * h + Objects.hashCode(accountId);
        return 31 * h + Objects.hashCode(region);
    }

    @Override
    public String toString() {
        return accountId + " " + region + " " + keyArn + " " + principalArn + " " + eventName;
    }
}
