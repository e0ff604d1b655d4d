package io.flowtrail.config;

import io.flowtrail.model.DeadLetter;

/**
 * What travels on the configuration broadcast stream: one snapshot version (as read, possibly
 * partial; {@link ConfigSnapshot#toBytes()}), or the end-of-snapshots marker of a bounded source (a
 * replay's {@code --config} folder, the configuration a streaming job reads at start), after which
 * flows no longer wait for configuration.
 *
 * <p>A configuration topic's source also emits its unreadable messages here, as {@link
 * #deadLetter}s, so that the order of the topic is kept; the streaming job routes them to the dead
 * letters before the stream reaches the join.
 */
public class ConfigMessage {
    public long effectiveFromMillis;
    public byte[] snapshot;
    public boolean endOfSnapshots;

    /** Set for a message that is not a snapshot (then nothing else is). */
    public DeadLetter deadLetter;

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

    public static ConfigMessage dead(DeadLetter deadLetter) {
        ConfigMessage m = new ConfigMessage();
        m.deadLetter = deadLetter;
        return m;
    }
}
