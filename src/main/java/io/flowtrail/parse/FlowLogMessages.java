package io.flowtrail.parse;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Reads flow-log records out of messages (Kafka records): one record per message, several lines, a
 * CloudWatch Logs subscription payload (JSON, gzip or not) or a whole S3 file with its header. The
 * common case, one plain record, goes straight to a reused {@link FlowLineParser}; anything else
 * goes through {@link FlowLogTextReader}.
 *
 * <p>Every message yields at least one record or one dead letter, so a message is never lost
 * silently; an empty message is a dead letter too. One instance per consuming thread.
 */
public final class FlowLogMessages {
    private final FlowLogFormat fallbackFormat;
    private final ByteStringInterner interner = new ByteStringInterner(1 << 14);
    private final FlowLineParser parser;

    public FlowLogMessages(FlowLogFormat fallbackFormat) {
        this.fallbackFormat = fallbackFormat;
        this.parser = new FlowLineParser(fallbackFormat, interner);
    }

    /**
     * @param origin where the message came from, ending in a separator, e.g. {@code "topic flows
     *     partition 0 offset 17 line "}; a record's location is the origin and its line
     */
    public void read(byte[] message, String origin, Consumer<FlowRecord> out) {
        long seenAt = System.currentTimeMillis();
        if (message == null || message.length == 0) {
            out.accept(dead(origin + 1, "empty message", message, seenAt));
            return;
        }
        if (needsReader(message)) {
            readWithReader(message, origin, out);
            return;
        }
        int from = 0;
        long line = 0;
        boolean emitted = false;
        while (from < message.length) {
            int to = from;
            while (to < message.length && message[to] != '\n') {
                to++;
            }
            line++;
            if (!blank(message, from, to)) {
                if (line == 1 && FlowLogFormat.looksLikeHeader(message, from, to)) {
                    // A whole file with its header line: let the file reader use the header.
                    readWithReader(message, origin, out);
                    return;
                }
                FlowRecord r = new FlowRecord();
                String problem = parser.parse(message, from, to, r);
                if (problem == null && r.isTraffic() && r.start == FlowRecord.ABSENT) {
                    problem = "no start time: the record cannot be placed in a window";
                }
                if (problem != null) {
                    out.accept(
                            FlowRecord.dead(
                                    new DeadLetter(
                                            "flow-log",
                                            origin + line,
                                            problem,
                                            FlowLogTextReader.raw(message, from, to),
                                            -1L,
                                            seenAt)));
                } else {
                    r.origin = origin;
                    r.position = line;
                    out.accept(r);
                }
                emitted = true;
            }
            from = to + 1;
        }
        if (!emitted) {
            out.accept(
                    dead(
                            origin + 1,
                            "message holds no record (only blank lines)",
                            message,
                            seenAt));
        }
    }

    private static boolean needsReader(byte[] m) {
        if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return true;
        }
        for (byte b : m) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            return b == '{';
        }
        return false;
    }

    private void readWithReader(byte[] message, String origin, Consumer<FlowRecord> out) {
        String location =
                origin.endsWith(" line ") ? origin.substring(0, origin.length() - 6) : origin;
        boolean emitted = false;
        try (FlowLogTextReader reader =
                new FlowLogTextReader(
                        new ByteArrayInputStream(message), location, fallbackFormat)) {
            FlowRecord r;
            while ((r = reader.next()) != null) {
                out.accept(r);
                emitted = true;
            }
            if (!emitted && reader.controlMessagesSkipped() == 0) {
                out.accept(
                        dead(
                                location,
                                "message holds no record",
                                message,
                                System.currentTimeMillis()));
            }
        } catch (IOException e) {
            // Corrupt gzip and the like: the message as a whole is a dead letter.
            out.accept(
                    dead(
                            location,
                            "unreadable message: " + e.getMessage(),
                            message,
                            System.currentTimeMillis()));
        } catch (UncheckedIOException e) {
            out.accept(
                    dead(
                            location,
                            "unreadable message: " + e.getMessage(),
                            message,
                            System.currentTimeMillis()));
        }
    }

    private static boolean blank(byte[] m, int from, int to) {
        for (int i = from; i < to; i++) {
            if (m[i] != ' ' && m[i] != '\r' && m[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static FlowRecord dead(String location, String reason, byte[] message, long seenAt) {
        String raw = message == null ? "" : FlowLogTextReader.raw(message, 0, message.length);
        return FlowRecord.dead(new DeadLetter("flow-log", location, reason, raw, -1L, seenAt));
    }
}
