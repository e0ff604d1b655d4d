package io.flowtrail.parse;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.NetworkChangeEvent;
import org.junit.jupiter.api.Test;

/** What the CloudTrail reader yields travels through Flink's POJO serializer, never Kryo. */
class CloudTrailModelPojoTest {
    @Test
    void kmsEventIsAPojo() {
        assertSerializedAsPojoWithoutKryo(KmsEvent.class);
    }

    @Test
    void networkChangeEventIsAPojo() {
        assertSerializedAsPojoWithoutKryo(NetworkChangeEvent.class);
    }

    @Test
    void cloudTrailEventIsAPojo() {
        assertSerializedAsPojoWithoutKryo(CloudTrailEvent.class);
    }
}
