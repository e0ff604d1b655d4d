package io.flowtrail.config;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/** The broadcast state of the configuration join, in one place. */
public final class ConfigDescriptors {
    private ConfigDescriptors() {}

    /** Snapshot versions by effective time, as {@link ConfigSnapshot#toBytes()}. */
    public static final MapStateDescriptor<Long, byte[]> VERSIONS =
            new MapStateDescriptor<>(
                    "config-versions",
                    Types.LONG,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** {@code ready}: every snapshot of a bounded source has arrived. */
    public static final MapStateDescriptor<String, Boolean> STATUS =
            new MapStateDescriptor<>("config-status", Types.STRING, Types.BOOLEAN);
}
