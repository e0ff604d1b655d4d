package io.flowtrail.config;

/**
 * What travels on the configuration broadcast stream: one snapshot version (as read, possibly
 * partial; {@link ConfigSnapshot#toBytes()}), or the end-of-snapshots marker of a bounded source (a
 * replay's {@code --config} folder), after which flows no longer wait for configuration.
 */
public class ConfigMessage {
    public long effectiveFromMillis;
    public byte[] snapshot;
    public boolean endOfSnapshots;

    public ConfigMessage() {}

    public static ConfigMessage of(ConfigSnapshot version) {
        ConfigMessage m = new ConfigMessage();
        m.effectiveFromMillis = version.effectiveFromMillis();
        m.snapshot = version.toBytes();
        return m;
    }

    public static ConfigMessage end() {
        ConfigMessage m = new ConfigMessage();
        m.effectiveFromMillis = Long.MAX_VALUE;
        m.endOfSnapshots = true;
        return m;
    }
}
