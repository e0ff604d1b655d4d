package io.flowtrail.model;

import java.util.Objects;

/**
 * Input that Flowtrail could not use, kept with where it came from and why: nothing read is ever
 * silently dropped. Becomes a row of the {@code dead_letters} table.
 */
public class DeadLetter {
    /** Longest {@code raw} text kept, in bytes of UTF-8 (before truncation is marked). */
    public static final int RAW_MAX_BYTES = 2048;

    /** What kind of input: {@code flow-log}, {@code cloudtrail}, {@code config}. */
    public String source;

    /** File and line ({@code path:line}), or topic, partition and offset. */
    public String location;

    public String reason;
    public String raw;

    /** The record's own time in epoch milliseconds, when it has one, else {@code -1}. */
    public long recordTimeMillis = -1L;

    /** When Flowtrail read it, epoch milliseconds. */
    public long seenAtMillis;

    public DeadLetter() {}

    public DeadLetter(
            String source,
            String location,
            String reason,
            String raw,
            long recordTimeMillis,
            long seenAtMillis) {
        this.source = source;
        this.location = location;
        this.reason = reason;
        this.raw = raw;
        this.recordTimeMillis = recordTimeMillis;
        this.seenAtMillis = seenAtMillis;
    }

    /** The time that decides the dead letter's partition: its own when known, else when read. */
    public long partitionTimeMillis() {
        return recordTimeMillis >= 0 ? recordTimeMillis : seenAtMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return recordTimeMillis == that.recordTimeMillis
                && seenAtMillis == that.seenAtMillis
                && Objects.equals(source, that.source)
                && Objects.equals(location, that.location)
                && Objects.equals(reason, that.reason)
                && Objects.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, location, reason);
    }

    @Override
    public String toString() {
        return location + ": " + reason;
    }
}
