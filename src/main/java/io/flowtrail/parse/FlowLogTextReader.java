package io.flowtrail.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a flow-log stream that is not Parquet: S3 text files (a header line and one record per
 * line), headerless text (Firehose delivery, a single message), and CloudWatch Logs subscription
 * payloads (JSON envelopes with {@code logEvents}, several concatenated, control messages skipped).
 * Gzip is undone first, whatever the file is called.
 *
 * <p>Text is read as bytes through one reused buffer: no {@code String} per line.
 */
public final class FlowLogTextReader implements FlowLogReader {
    /** A line longer than this is not a flow-log record (the longest has 42 short fields). */
    static final int MAX_LINE_BYTES = 64 * 1024;

    /** The reader closes its input itself; the parser must not close it first. */
    private static final JsonFactory JSON =
            new JsonFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private final InputStream in;
    private final String location;
    private final String textOrigin;
    private final FlowLogFormat fallbackFormat;
    private final ByteStringInterner interner;
    private final List<String> warnings = new ArrayList<>();
    private final long seenAt;
    private String unreadable;
    private IOException readError;
    private boolean unreadableReported;

    private FlowLineParser parser;
    private long controlMessages;

    // Text mode.
    private byte[] buf = new byte[256 * 1024];
    private int pos;
    private int limit;
    private boolean eof;
    private long line;
    private boolean firstLine = true;
    // Skipping the pieces after the first of a line longer than the buffer.
    private boolean restOfLongLine;

    // JSON mode.
    private JsonParser json;
    private int envelope;
    private int event;
    private boolean inEvents;
    private boolean jsonBroken;
    private String eventOrigin;

    /**
     * @param in the raw input (gzip or not); closed with this reader
     * @param location how dead letters name the input (a path, or topic/partition/offset)
     * @param fallbackFormat the format of records when the input has no header line
     */
    public FlowLogTextReader(InputStream in, String location, FlowLogFormat fallbackFormat)
            throws IOException {
        this.location = location;
        this.textOrigin = location + ":";
        this.fallbackFormat = fallbackFormat;
        this.interner = new ByteStringInterner(1 << 14);
        this.seenAt = System.currentTimeMillis();
        BufferedInputStream buffered =
                in instanceof BufferedInputStream
                        ? (BufferedInputStream) in
                        : new BufferedInputStream(in, 64 * 1024);
        BufferedInputStream plain = buffered;
        try {
            plain = InputSniffer.decompressIfGzip(buffered);
            if (InputSniffer.firstNonBlank(plain) == '{') {
                json = JSON.createParser(plain);
                parser = new FlowLineParser(fallbackFormat, interner);
            }
        } catch (IOException e) {
            // A damaged gzip header and the like: the input as a whole is one dead letter.
            unreadable = "unreadable input: " + e;
        }
        this.in = plain;
    }

    @Override
    public FlowRecord next() throws IOException {
        if (unreadable != null) {
            return unreadableOnce();
        }
        try {
            FlowRecord r = json != null ? nextFromJson() : nextLine();
            return r;
        } catch (IOException e) {
            // Truncated or corrupt gzip mid-file: what was read stands, the rest is reported.
            if (e instanceof BadPayload
                    || e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                throw e;
            }
            unreadable = "unreadable after line " + line + ": " + e;
            return unreadableOnce();
        }
    }

    private FlowRecord unreadableOnce() {
        if (unreadableReported) {
            return null;
        }
        unreadableReported = true;
        return dead(
                location + ":" + (line + 1),
                unreadable + "; the rest of the input is not read",
                new byte[0],
                0,
                0);
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public long controlMessagesSkipped() {
        return controlMessages;
    }

    @Override
    public void close() throws IOException {
        if (json != null) {
            json.close();
        }
        in.close();
    }

    // ---------------------------------------------------------------- text

    private FlowRecord nextLine() throws IOException {
        while (true) {
            int nl = findNewline();
            // A newline is always before limit: nl == limit is a piece of an overlong line.
            boolean piece = nl == limit;
            if (nl < 0) {
                if (pos >= limit) {
                    if (readError != null) {
                        unreadable = "unreadable after line " + line + ": " + readError;
                        return unreadableOnce();
                    }
                    return null;
                }
                nl = limit; // last line without a newline
            }
            int from = pos;
            int to = nl;
            pos = Math.min(nl + 1, limit);
            if (restOfLongLine) {
                // Already reported with its first piece: not another line.
                restOfLongLine = piece;
                continue;
            }
            line++;
            if (to - from > MAX_LINE_BYTES) {
                restOfLongLine = piece;
                return dead(
                        location + ":" + line,
                        "line longer than " + MAX_LINE_BYTES + " bytes: not a flow-log record",
                        buf,
                        from,
                        to);
            }
            if (isBlank(from, to)) {
                continue;
            }
            if (firstLine) {
                firstLine = false;
                if (FlowLogFormat.looksLikeHeader(buf, from, trimEnd(from, to))) {
                    String header =
                            new String(
                                    buf, from, trimEnd(from, to) - from, StandardCharsets.US_ASCII);
                    FlowLogFormat format = FlowLogFormat.parse(header);
                    if (!format.unknownNames().isEmpty()) {
                        warnings.add(
                                location
                                        + ": header names fields this version of Flowtrail does not"
                                        + " know, their values are skipped: "
                                        + String.join(", ", format.unknownNames()));
                    }
                    parser = new FlowLineParser(format, interner);
                    continue;
                }
                parser = new FlowLineParser(fallbackFormat, interner);
            }
            return record(buf, from, to, textOrigin, line);
        }
    }

    private boolean isBlank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private int trimEnd(int from, int to) {
        while (to > from && (buf[to - 1] == '\r' || buf[to - 1] == ' ')) {
            to--;
        }
        return to;
    }

    /**
     * Index of the next '\n' at or after {@code pos}, reading more input as needed; -1 at the end
     * of input with no newline. An overlong line is returned in pieces of the buffer's size, and
     * the first piece is reported as too long.
     */
    private int findNewline() throws IOException {
        int scanFrom = pos;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            if (eof) {
                return -1;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                scanFrom = limit;
                pos = 0;
            } else {
                scanFrom = limit;
            }
            if (limit == buf.length) {
                if (buf.length > MAX_LINE_BYTES * 4) {
                    // A huge line (binary input): hand it out as one piece.
                    return limit;
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r;
            try {
                r = in.read(buf, limit, buf.length - limit);
            } catch (IOException e) {
                // Truncated or corrupt gzip: the lines before it still count; reported at the end.
                readError = e;
                r = -1;
            }
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
    }

    // ---------------------------------------------------------------- records

    private FlowRecord record(byte[] b, int from, int to, String origin, long position) {
        FlowRecord r = new FlowRecord();
        String problem = parser.parse(b, from, to, r);
        if (problem != null) {
            return dead(origin + position, problem, b, from, to);
        }
        if (r.isTraffic() && r.start == FlowRecord.ABSENT) {
            return dead(
                    origin + position,
                    "no start time: the record cannot be placed in a window",
                    b,
                    from,
                    to);
        }
        r.origin = origin;
        r.position = position;
        return r;
    }

    private FlowRecord dead(String where, String reason, byte[] b, int from, int to) {
        return FlowRecord.dead(
                new DeadLetter("flow-log", where, reason, raw(b, from, to), -1L, seenAt));
    }

    /** The raw text kept in a dead letter: at most {@link DeadLetter#RAW_MAX_BYTES} bytes. */
    public static String raw(byte[] b, int from, int to) {
        int end = Math.min(to, from + DeadLetter.RAW_MAX_BYTES);
        String s = new String(b, from, end - from, StandardCharsets.UTF_8);
        return end < to ? s + "…[truncated]" : s;
    }

    // ---------------------------------------------------------------- CloudWatch Logs payloads

    private FlowRecord nextFromJson() throws IOException {
        if (jsonBroken) {
            return null;
        }
        try {
            while (true) {
                if (inEvents) {
                    JsonToken t = json.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        inEvents = false;
                        // Fields after logEvents, up to the envelope's end.
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            json.nextToken();
                            json.skipChildren();
                        }
                        continue;
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw new BadPayload("logEvents[" + event + "] is not an object");
                    }
                    String message = null;
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String name = json.currentName();
                        json.nextToken();
                        if ("message".equals(name)
                                && json.currentToken() == JsonToken.VALUE_STRING) {
                            message = json.getText();
                        } else {
                            json.skipChildren();
                        }
                    }
                    event++;
                    String where = eventOrigin + event;
                    if (message == null) {
                        byte[] none = new byte[0];
                        return dead(where, "log event has no message", none, 0, 0);
                    }
                    if (message.startsWith("CWL CONTROL MESSAGE")) {
                        // A control message whose messageType came after its logEvents.
                        controlMessages++;
                        continue;
                    }
                    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                    return record(bytes, 0, bytes.length, eventOrigin, event);
                }
                JsonToken t = json.nextToken();
                if (t == null) {
                    return null;
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new BadPayload("expected a JSON object (a CloudWatch Logs payload)");
                }
                envelope++;
                event = 0;
                eventOrigin = location + ":envelope " + envelope + " event ";
                if (startEnvelope()) {
                    inEvents = true;
                }
            }
        } catch (BadPayload | com.fasterxml.jackson.core.JsonProcessingException e) {
            jsonBroken = true;
            String reason =
                    e instanceof BadPayload
                            ? e.getMessage()
                            : "malformed JSON: "
                                    + ((com.fasterxml.jackson.core.JsonProcessingException) e)
                                            .getOriginalMessage();
            long offset = json.currentLocation().getByteOffset();
            byte[] none = new byte[0];
            return dead(
                    location + ":envelope " + envelope + " (byte " + offset + ")",
                    reason + "; the rest of the input is not read",
                    none,
                    0,
                    0);
        }
    }

    private static final class BadPayload extends IOException {
        BadPayload(String message) {
            super(message);
        }
    }

    /**
     * Reads the envelope's fields up to {@code logEvents}. Returns true when positioned inside a
     * data message's {@code logEvents} array; false when the envelope was a control message and has
     * been skipped whole.
     */
    private boolean startEnvelope() throws IOException {
        String messageType = null;
        boolean sawEvents = false;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if ("messageType".equals(name)) {
                messageType = json.getText();
            } else if ("logEvents".equals(name)) {
                if (value != JsonToken.START_ARRAY) {
                    throw new BadPayload("logEvents is not an array");
                }
                sawEvents = true;
                if ("CONTROL_MESSAGE".equals(messageType)) {
                    json.skipChildren();
                    controlMessages++;
                    continue;
                }
                if (messageType != null && !"DATA_MESSAGE".equals(messageType)) {
                    throw new BadPayload("unknown messageType " + messageType);
                }
                return true; // fields after logEvents are read when the array ends
            } else {
                json.skipChildren();
            }
        }
        if (!sawEvents && !"CONTROL_MESSAGE".equals(messageType)) {
            throw new BadPayload(
                    "JSON object without logEvents: not a CloudWatch Logs subscription payload");
        }
        if (!sawEvents) {
            controlMessages++;
        }
        return false;
    }
}
