package io.flowtrail.parse;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.DeadLetter;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.zip.ZipException;

/**
 * Reads CloudTrail out of messages (Kafka records) with the same {@link CloudTrailReader} that
 * reads files, so a message may be anything a file may be, recognised by content: a single
 * CloudTrail event, an EventBridge envelope ({@code detail-type} {@code AWS API Call via
 * CloudTrail} or {@code AWS Service Event via CloudTrail}, the event in {@code detail}), or a whole
 * S3 log file {@code {"Records":[...]}}, each plain or gzip; also JSON lines and CloudWatch Logs
 * payloads.
 *
 * <p>Locations start with the message's own ({@code topic T partition P offset O}), followed by
 * what the reader adds ({@code :line 1}, {@code :Records[17]}). What the reader skips stays
 * skipped: other services' events, KMS's own EventBridge events that are not CloudTrail records
 * ({@code KMS CMK Rotation}), digest files, CloudWatch control messages; they are {@link #skipped()
 * counted}. Everything else that is not a CloudTrail record (not JSON, JSON of the wrong shape,
 * binary, a damaged gzip) becomes a dead letter, and so does an empty message: a message is never
 * lost silently.
 *
 * <p>One instance per consuming thread; no Flink here.
 */
public final class CloudTrailMessages {
    private final CloudTrailRecordParser records = new CloudTrailRecordParser();
    private long skipped;

    /**
     * @param message the message's bytes
     * @param location where it came from, e.g. {@code topic cloudtrail partition 0 offset 17}
     */
    public void read(byte[] message, String location, Consumer<CloudTrailEvent> out) {
        long seenAt = System.currentTimeMillis();
        if (message == null || message.length == 0) {
            out.accept(dead(location, "empty message", "", seenAt));
            return;
        }
        boolean emitted = false;
        // Buffers the size of the message (most are one event; the reader's defaults are sized
        // for files), and one record parser for every message. A gzip message is sniffed as a
        // file is: its size says nothing about what it holds.
        int size = Math.max(8192, Math.min(message.length + 1, 64 * 1024));
        boolean gzip = InputSniffer.isGzip(message, message.length);
        try (CloudTrailReader reader =
                new CloudTrailReader(
                        new BufferedInputStream(new ByteArrayInputStream(message), size),
                        location,
                        records,
                        gzip ? Integer.MAX_VALUE : message.length + 1)) {
            CloudTrailEvent e;
            while ((e = reader.next()) != null) {
                out.accept(e);
                emitted = true;
            }
            long skippedHere =
                    reader.otherEventsSkipped()
                            + reader.digestFilesSkipped()
                            + reader.controlMessagesSkipped();
            skipped += skippedHere;
            if (!emitted && skippedHere == 0) {
                out.accept(
                        dead(
                                location,
                                "message holds no CloudTrail record (only white space)",
                                FlowLogTextReader.raw(message, 0, message.length),
                                seenAt));
            }
        } catch (ZipException | EOFException e) {
            // A gzip header cut short or damaged: the reader cannot even start.
            out.accept(
                    dead(
                            location,
                            "the message is cut short or is not valid gzip: "
                                    + (e.getMessage() == null
                                            ? "it ends inside the gzip header"
                                            : e.getMessage()),
                            FlowLogTextReader.raw(message, 0, message.length),
                            seenAt));
        } catch (IOException | UncheckedIOException e) {
            // The reader turns broken JSON and damaged gzip into dead letters itself; this is
            // what is left.
            out.accept(
                    dead(
                            location,
                            "unreadable message: " + e,
                            FlowLogTextReader.raw(message, 0, message.length),
                            seenAt));
        }
    }

    /**
     * Events skipped so far: other services' events, non-CloudTrail EventBridge events, digest
     * files and CloudWatch control messages.
     */
    public long skipped() {
        return skipped;
    }

    private static CloudTrailEvent dead(String location, String reason, String raw, long seenAt) {
        return CloudTrailEvent.dead(
                new DeadLetter(CloudTrailReader.SOURCE, location, reason, raw, -1L, seenAt));
    }
}
