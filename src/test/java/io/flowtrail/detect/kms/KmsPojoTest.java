package io.flowtrail.detect.kms;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.flowtrail.model.KmsUsageRow;
import io.flowtrail.summary.KmsUsageAccumulator;
import io.flowtrail.summary.KmsUsageKey;
import org.junit.jupiter.api.Test;

/** The KMS detectors' records and state travel through Flink's POJO serializer, never Kryo. */
class KmsPojoTest {
    @Test
    void recordsBetweenOperatorsArePojos() {
        assertSerializedAsPojoWithoutKryo(KmsFinding.class);
        assertSerializedAsPojoWithoutKryo(KeyUsageEgressInput.class);
        assertSerializedAsPojoWithoutKryo(ConfigChangeRejectsInput.class);
    }

    @Test
    void detectorStateIsPojos() {
        assertSerializedAsPojoWithoutKryo(NameCounts.class);
        assertSerializedAsPojoWithoutKryo(RuleWindow.class);
        assertSerializedAsPojoWithoutKryo(BurstWindow.class);
        assertSerializedAsPojoWithoutKryo(BurstHistory.class);
        assertSerializedAsPojoWithoutKryo(PrincipalWindow.class);
        assertSerializedAsPojoWithoutKryo(DeniedWindow.class);
    }

    @Test
    void kmsUsageIsPojos() {
        assertSerializedAsPojoWithoutKryo(KmsUsageKey.class);
        assertSerializedAsPojoWithoutKryo(KmsUsageAccumulator.class);
        assertSerializedAsPojoWithoutKryo(KmsUsageRow.class);
    }
}
