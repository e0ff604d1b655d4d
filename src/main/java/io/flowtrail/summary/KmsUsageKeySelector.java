package io.flowtrail.summary;

import io.flowtrail.model.KmsEvent;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys KMS calls by their {@code kms_usage} row. */
public final class KmsUsageKeySelector implements KeySelector<KmsEvent, KmsUsageKey> {
    @Override
    public KmsUsageKey getKey(KmsEvent e) {
        return KmsUsageKey.of(e);
    }
}
