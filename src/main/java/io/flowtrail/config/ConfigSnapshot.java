package io.flowtrail.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The network configuration in force from one instant on: the raw JSON of its {@code describe-*}
 * documents by document key.
 *
 * <p>A document key is the document's kind ({@code SecurityGroups}, {@code NetworkAcls}, ... see
 * {@link io.flowtrail.parse.DocumentKind}), or {@code PrefixListEntries:pl-0abc} for the entries of
 * one managed prefix list. The values are JSON text, not objects, because the Flink job keeps
 * snapshots in broadcast state as plain strings and every task rebuilds its {@link NetworkIndex}
 * locally; {@link #toBytes()} and {@link #fromBytes(byte[])} are the compact form for that.
 *
 * <p>Snapshots are versions over time. A snapshot read from a folder may hold only some kinds;
 * {@link #over(ConfigSnapshot)} lays it over the previous version: the kinds it holds replace the
 * previous ones, the others are kept. {@code SecurityGroups} and {@code SecurityGroupRules} count
 * as one kind for this (either describes the security groups as a whole), and prefix-list entries
 * are replaced list by list. An empty document ({@code {"VpcPeeringConnections": []}}) is how a
 * version says "there are none any more". {@link ConfigTimeline} does the layering.
 *
 * <p>Immutable.
 */
public final class ConfigSnapshot {
    /** {@link #effectiveFromMillis()} of a snapshot that holds from the beginning of time. */
    public static final long BEGINNING_OF_TIME = Long.MIN_VALUE;

    private static final int MAGIC = 0x46544353; // "FTCS"
    private static final byte FORMAT = 1;

    private final long effectiveFromMillis;
    private final String source;
    private final SortedMap<String, String> documents;

    /**
     * @param effectiveFromMillis epoch milliseconds from which it holds, or {@link
     *     #BEGINNING_OF_TIME}
     * @param source where it was read (the snapshot folder), for messages
     * @param documents raw JSON by document key
     */
    public ConfigSnapshot(long effectiveFromMillis, String source, Map<String, String> documents) {
        this.effectiveFromMillis = effectiveFromMillis;
        this.source = Objects.requireNonNull(source, "source");
        this.documents = Collections.unmodifiableSortedMap(new TreeMap<>(documents));
    }

    public long effectiveFromMillis() {
        return effectiveFromMillis;
    }

    public String source() {
        return source;
    }

    /** Raw JSON by document key, sorted by key. */
    public SortedMap<String, String> documents() {
        return documents;
    }

    /** The replacement group of a document key: the two security-group kinds are one. */
    public static String replacementGroup(String documentKey) {
        return documentKey.equals("SecurityGroupRules") ? "SecurityGroups" : documentKey;
    }

    /**
     * This snapshot laid over {@code previous}: every document of {@code previous} whose
     * replacement group this snapshot does not hold, plus all of this snapshot's documents. The
     * result has this snapshot's time and source.
     */
    public ConfigSnapshot over(ConfigSnapshot previous) {
        if (previous == null) {
            return this;
        }
        Set<String> replaced = new HashSet<>();
        for (String key : documents.keySet()) {
            replaced.add(replacementGroup(key));
        }
        TreeMap<String, String> merged = new TreeMap<>();
        previous.documents.forEach(
                (key, json) -> {
                    if (!replaced.contains(replacementGroup(key))) {
                        merged.put(key, json);
                    }
                });
        merged.putAll(documents);
        return new ConfigSnapshot(effectiveFromMillis, source, merged);
    }

    /** The compact binary form: a header, the time, the source and the documents as UTF-8. */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeByte(FORMAT);
            out.writeLong(effectiveFromMillis);
            writeString(out, source);
            out.writeInt(documents.size());
            for (Map.Entry<String, String> e : documents.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    /** Reads what {@link #toBytes()} wrote. */
    public static ConfigSnapshot fromBytes(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            if (in.readInt() != MAGIC || in.readByte() != FORMAT) {
                throw new IllegalArgumentException("not a serialized ConfigSnapshot (format 1)");
            }
            long effectiveFrom = in.readLong();
            String source = readString(in);
            int count = in.readInt();
            TreeMap<String, String> documents = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                documents.put(readString(in), readString(in));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException(
                        "trailing bytes after a serialized ConfigSnapshot");
            }
            return new ConfigSnapshot(effectiveFrom, source, documents);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated serialized ConfigSnapshot", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("bad length " + length);
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** {@code 2026-11-02T09:00:00Z}, or {@code the beginning of time}. */
    public static String timeText(long epochMillis) {
        return epochMillis == BEGINNING_OF_TIME
                ? "the beginning of time"
                : Instant.ofEpochMilli(epochMillis).toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConfigSnapshot)) {
            return false;
        }
        ConfigSnapshot that = (ConfigSnapshot) o;
        return effectiveFromMillis == that.effectiveFromMillis
                && source.equals(that.source)
                && documents.equals(that.documents);
    }

    @Override
    public int hashCode() {
        return Objects.hash(effectiveFromMillis, source, documents);
    }

    @Override
    public String toString() {
        return "ConfigSnapshot{"
                + source
                + " from "
                + timeText(effectiveFromMillis)
                + " "
                + documents.keySet()
                + "}";
    }
}
