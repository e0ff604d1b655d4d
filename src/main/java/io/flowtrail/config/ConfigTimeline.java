package io.flowtrail.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Configuration snapshots over time. A flow is evaluated against the snapshot in force at its
 * start: the latest one whose {@link ConfigSnapshot#effectiveFromMillis()} is at or before it.
 *
 * <p>Built from versions as read (each possibly partial); {@link #at} returns them layered ({@link
 * ConfigSnapshot#over}): version {@code i} laid over the layered version {@code i - 1}. Versions
 * with the same time are layered in the order given.
 *
 * <p>Immutable, except for a cache of the {@link NetworkIndex} of each snapshot, built on first use
 * by {@link #indexAt}; that cache is not meant to be shared between threads (one timeline per Flink
 * task).
 */
public final class ConfigTimeline {
    public static final ConfigTimeline EMPTY = new ConfigTimeline(List.of());

    private final List<ConfigSnapshot> versions;
    private final ConfigSnapshot[] layered;
    private final long[] times;
    private final NetworkIndex[] indexes;

    private ConfigTimeline(List<ConfigSnapshot> versions) {
        List<ConfigSnapshot> sorted = new ArrayList<>(versions);
        sorted.sort(Comparator.comparingLong(ConfigSnapshot::effectiveFromMillis));
        this.versions = List.copyOf(sorted);
        this.layered = new ConfigSnapshot[sorted.size()];
        this.times = new long[sorted.size()];
        ConfigSnapshot previous = null;
        for (int i = 0; i < sorted.size(); i++) {
            previous = sorted.get(i).over(previous);
            layered[i] = previous;
            times[i] = previous.effectiveFromMillis();
        }
        this.indexes = new NetworkIndex[layered.length];
    }

    /** A timeline of versions as read (in any order; sorted here by time). */
    public static ConfigTimeline of(List<ConfigSnapshot> versions) {
        return new ConfigTimeline(versions);
    }

    /** This timeline with one more version, e.g. one that arrived on a stream. */
    public ConfigTimeline with(ConfigSnapshot version) {
        List<ConfigSnapshot> more = new ArrayList<>(versions);
        more.add(version);
        return new ConfigTimeline(more);
    }

    /** The layered snapshot in force at {@code epochMillis}, or {@code null} before the first. */
    public ConfigSnapshot at(long epochMillis) {
        int i = indexOf(epochMillis);
        return i < 0 ? null : layered[i];
    }

    /**
     * The index of the snapshot in force at {@code epochMillis} (built on first use and kept), or
     * {@code null} before the first snapshot.
     */
    public NetworkIndex indexAt(long epochMillis) {
        int i = indexOf(epochMillis);
        if (i < 0) {
            return null;
        }
        NetworkIndex index = indexes[i];
        if (index == null) {
            index = NetworkIndex.build(layered[i]);
            indexes[i] = index;
        }
        return index;
    }

    private int indexOf(long epochMillis) {
        int i = Arrays.binarySearch(times, epochMillis);
        if (i >= 0) {
            while (i + 1 < times.length && times[i + 1] == epochMillis) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }

    /** The layered snapshots in time order. */
    public List<ConfigSnapshot> snapshots() {
        return List.of(layered);
    }

    /** The versions as given, in time order. */
    public List<ConfigSnapshot> versions() {
        return versions;
    }

    public boolean isEmpty() {
        return layered.length == 0;
    }

    public int size() {
        return layered.length;
    }
}
