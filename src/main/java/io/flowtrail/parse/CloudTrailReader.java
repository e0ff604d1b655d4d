package io.flowtrail.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.CloudTrailValues;
import io.flowtrail.model.DeadLetter;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * Reads the CloudTrail records of one input (a file or a message), recognised by content, never by
 * name: gzip by its magic bytes (any number of members), then
 *
 * <ul>
 *   <li>S3 log files, {@code {"Records":[...]}}: records are named {@code file:Records[17]} (index
 *       from 0); a top-level array of records works the same ({@code file:[17]});
 *   <li>CloudTrail digest files (they carry {@code digestPublicKeyFingerprint}, {@code logFiles}
 *       ...): skipped whole, {@link #digestFilesSkipped() counted};
 *   <li>one record per line (JSON lines, a Kafka message), or a single record over several lines:
 *       {@code file:line 5}, the line the record starts on;
 *   <li>EventBridge envelopes ({@code detail-type} {@code AWS API Call via CloudTrail}, the record
 *       in {@code detail}): named by their line too; envelopes that do not carry a CloudTrail
 *       record (KMS's own {@code KMS CMK Rotation}) are counted with the other services' events;
 *   <li>CloudWatch Logs subscription payloads (one or more envelopes whose {@code logEvents[]}
 *       messages are records as JSON text): {@code file:envelope 2 event 3}, both from 1; control
 *       messages are {@link #controlMessagesSkipped() counted} and skipped.
 * </ul>
 *
 * <p>KMS records become {@link io.flowtrail.model.KmsEvent}s and EC2 network changes {@link
 * io.flowtrail.model.NetworkChangeEvent}s; records of any other service are {@link
 * #otherEventsSkipped() counted} and not returned. A record that is not a valid CloudTrail record
 * (missing {@code eventTime}, {@code eventName} or {@code eventSource}, a field of the wrong type)
 * becomes a dead letter naming it and what was expected, and reading goes on. So every record read
 * is accounted for: {@link #recordsRead()} = KMS + network changes + dead letters + {@link
 * #otherEventsSkipped()}.
 *
 * <p>Broken JSON is a dead letter whose location carries the byte offset where parsing failed
 * ({@code file:Records[17] (byte 53211)}). Inside a file read as one JSON document (an S3 log file,
 * a pretty-printed record, concatenated envelopes) nothing after the break can be trusted: that one
 * dead letter stands for the rest of the input. In JSON lines the next line starts afresh, and in a
 * CloudWatch payload the next message.
 *
 * <p>Memory does not grow with the input: the file is read with Jackson's streaming parser, one
 * record at a time, into reused fields; only an EC2 network change reads its request as a tree.
 * Which of the two ways a JSON file is read is decided from its first 64 KB: when the first line is
 * a complete JSON value that is a record or an envelope, line by line (a line is at most {@value
 * #MAX_LINE_BYTES} bytes); otherwise as one document.
 *
 * <p>No Flink here: the file and Kafka sources wrap it.
 */
public final class CloudTrailReader implements Closeable {
    /** The longest line of a JSON-lines input: longer lines are dead letters. */
    public static final int MAX_LINE_BYTES = 4 << 20;

    static final String SOURCE = "cloudtrail";

    private static final int SNIFF_BYTES = 64 * 1024;
    private static final int MAX_WARNINGS = 100;
    private static final JsonFactory JSON = new JsonFactory();

    private static final Set<String> CLOUDWATCH_KEYS =
            Set.of(
                    "logEvents",
                    "messageType",
                    "owner",
                    "logGroup",
                    "logStream",
                    "subscriptionFilters");
    private static final Set<String> EVENTBRIDGE_KEYS =
            Set.of("version", "id", "detail-type", "source", "account", "time", "region", "detail");

    // What a top-level object turned out to be.
    private static final int UNDECIDED = 0;
    private static final int RECORD = 1;
    private static final int EVENTBRIDGE = 2;
    private static final int CLOUDWATCH = 3;

    // Reading states.
    private static final int ROOT = 0;
    private static final int RECORDS = 1;
    private static final int LOG_EVENTS = 2;
    private static final int ROOT_REST = 3;
    private static final int END = 4;

    // Where dead letters take their raw text from.
    private static final int RAW_STREAM = 0;
    private static final int RAW_BYTES = 1;

    private final String location;
    private final String lineOrigin;
    private final long seenAt;
    private final BufferedInputStream in;
    private final boolean lineMode;
    private final CloudTrailRecordParser records;
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> warned = new HashSet<>();

    private long recordsRead;
    private long otherEvents;
    private long digestFiles;
    private long controlMessages;

    private JsonParser json;
    private int state = ROOT;
    private CloudTrailRawRecorder recorder;

    // Line mode: the current line is buf[lineFrom, lineTo), line number lineNumber.
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private long consumed;
    private int lineFrom;
    private int lineTo;
    private long lineOffset;
    private boolean restOfLongLine;

    // Raw text of the record being read; where the record being read started.
    private int rawMode = RAW_STREAM;
    private long recorderMark;
    private byte[] rawBytes;
    private int rawBase;

    // The top-level object, Records array and CloudWatch envelope being read.
    private long rootObjects;
    private long rootLine;
    private String recordsOrigin;
    private long recordIndex;
    private long currentIndex;
    private boolean recordsAtRoot;
    private String envelopeOrigin;
    private long envelope;
    private long eventInEnvelope;

    /**
     * @param in the raw input (gzip or not); closed with this reader
     * @param location how locations name the input: a path, or topic/partition/offset
     */
    public CloudTrailReader(InputStream in, String location) throws IOException {
        this(in, location, new CloudTrailRecordParser(), SNIFF_BYTES);
    }

    /**
     * For many small inputs ({@link CloudTrailMessages}): a record parser kept from one input to
     * the next (its string caches are bounded), and a head sized to the input, since sniffing reads
     * at most {@code sniffBytes} (up to 64 KB) to choose between lines and one document.
     */
    CloudTrailReader(
            InputStream in, String location, CloudTrailRecordParser records, int sniffBytes)
            throws IOException {
        this.records = records;
        this.location = location;
        this.lineOrigin = location + ":line ";
        this.seenAt = System.currentTimeMillis();
        BufferedInputStream buffered =
                in instanceof BufferedInputStream
                        ? (BufferedInputStream) in
                        : new BufferedInputStream(in, 64 * 1024);
        this.in = InputSniffer.decompressIfGzip(buffered);
        byte[] head = new byte[Math.min(Math.max(sniffBytes, 2), SNIFF_BYTES)];
        int n = peek(this.in, head);
        this.lineMode = readsByLine(head, n);
        if (lineMode) {
            buf = new byte[Math.max(head.length, 2 * n)];
        } else {
            recorder = new CloudTrailRawRecorder(this.in);
            recorder.markRecord(0L);
            json = JSON.createParser(recorder);
        }
    }

    /** The next KMS event, network change or dead letter; {@code null} at the end. */
    public CloudTrailEvent next() throws IOException {
        while (state != END) {
            if (json == null) {
                CloudTrailEvent tooLong;
                try {
                    tooLong = nextLine();
                } catch (ZipException | EOFException ex) {
                    state = END;
                    recordsRead++;
                    return dead(
                            lineOrigin + (lineNumber + 1) + " (byte " + (consumed + limit) + ")",
                            "the input is cut short or is not valid gzip: "
                                    + ex.getMessage()
                                    + "; the rest of the input is missing",
                            "",
                            -1L);
                }
                if (tooLong != null) {
                    return tooLong;
                }
                if (json == null) {
                    state = END;
                    return null;
                }
            }
            CloudTrailEvent e;
            try {
                e = step();
            } catch (JsonProcessingException ex) {
                e =
                        broken(
                                "malformed JSON: " + ex.getOriginalMessage(),
                                ex instanceof JsonEOFException);
            } catch (ZipException | EOFException ex) {
                e = broken("the input is cut short or is not valid gzip: " + ex.getMessage(), true);
            }
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** Records read so far: KMS events + network changes + dead letters + other events. */
    public long recordsRead() {
        return recordsRead;
    }

    /** Records of services other than KMS, and EC2 calls that change no network configuration. */
    public long otherEventsSkipped() {
        return otherEvents;
    }

    /** CloudTrail digest files met (each is skipped whole). */
    public long digestFilesSkipped() {
        return digestFiles;
    }

    /** CloudWatch Logs control messages skipped so far (they are not records). */
    public long controlMessagesSkipped() {
        return controlMessages;
    }

    /** Notes for a person about the input (unexpected versions, envelopes of other kinds). */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void close() throws IOException {
        if (json != null) {
            json.close();
        }
        in.close();
    }

    // ---------------------------------------------------------------- reading

    /** Reads a little; returns what it read to give out, or null to be called again. */
    private CloudTrailEvent step() throws IOException {
        switch (state) {
            case ROOT:
                return atRoot();
            case RECORDS:
                return nextRecord();
            case LOG_EVENTS:
                return nextLogEvent();
            case ROOT_REST:
                // Fields after the Records or logEvents array, up to the end of their object.
                if (json.nextToken() == JsonToken.FIELD_NAME) {
                    json.nextToken();
                    json.skipChildren();
                } else {
                    state = ROOT;
                }
                return null;
            default:
                return null;
        }
    }

    private CloudTrailEvent atRoot() throws IOException {
        JsonToken t = json.nextToken();
        if (t == null) {
            endOfParser();
            return null;
        }
        long start = json.currentTokenLocation().getByteOffset();
        rootLine = lineMode ? lineNumber : json.currentTokenLocation().getLineNr();
        if (t == JsonToken.START_OBJECT) {
            rootObjects++;
            return rootObject(start);
        }
        if (t == JsonToken.START_ARRAY) {
            recordsOrigin = originPrefix() + "[";
            recordIndex = 0;
            recordsAtRoot = true;
            state = RECORDS;
            return null;
        }
        // A bare value at the top: not CloudTrail, and what follows cannot be trusted either.
        mark(start);
        recordsRead++;
        String raw = lineMode ? raw(0, lineTo - lineFrom) : recorder.rawFrom(start);
        String where =
                lineOrigin + rootLine + " (byte " + (lineMode ? lineOffset + start : start) + ")";
        String reason =
                "expected a JSON object (a CloudTrail log file, record or envelope), got "
                        + CloudTrailRecordParser.kind(t)
                        + (lineMode ? "" : "; the rest of the input is not read");
        json.close();
        json = null;
        state = lineMode ? ROOT : END;
        return dead(where, reason, raw, -1L);
    }

    /** A top-level object: a log file, a digest file, a record, or an envelope. */
    private CloudTrailEvent rootObject(long start) throws IOException {
        mark(start);
        records.begin();
        int kind = UNDECIDED;
        boolean digest = false;
        boolean sawDetail = false;
        boolean sawLogEvents = false;
        String detailType = null;
        String messageType = null;
        String rootProblem = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken v = json.nextToken();
            if ("Records".equals(name) && kind != EVENTBRIDGE) {
                if (v == JsonToken.START_ARRAY) {
                    recordsOrigin = originPrefix() + "Records[";
                    recordIndex = 0;
                    recordsAtRoot = false;
                    state = RECORDS;
                    return null;
                }
                rootProblem =
                        "Records: expected an array of CloudTrail records, got "
                                + CloudTrailRecordParser.kind(v);
                json.skipChildren();
            } else if (digest || isDigestKey(name)) {
                digest = true;
                json.skipChildren();
            } else if (CLOUDWATCH_KEYS.contains(name) && kind != RECORD) {
                kind = CLOUDWATCH;
                if ("messageType".equals(name)) {
                    messageType = v == JsonToken.VALUE_STRING ? json.getText() : null;
                } else if ("logEvents".equals(name)) {
                    sawLogEvents = true;
                    envelope = rootObjects;
                    if (v != JsonToken.START_ARRAY) {
                        rootProblem =
                                "logEvents: expected an array, got "
                                        + CloudTrailRecordParser.kind(v);
                        json.skipChildren();
                    } else if ("CONTROL_MESSAGE".equals(messageType)) {
                        json.skipChildren();
                        controlMessages++;
                    } else {
                        envelopeOrigin = location + ":envelope " + envelope + " event ";
                        eventInEnvelope = 0;
                        state = LOG_EVENTS;
                        return null;
                    }
                } else {
                    json.skipChildren();
                }
            } else if (EVENTBRIDGE_KEYS.contains(name) && kind != RECORD) {
                kind = EVENTBRIDGE;
                if ("detail-type".equals(name)) {
                    detailType = v == JsonToken.VALUE_STRING ? json.getText() : null;
                } else if ("detail".equals(name)) {
                    if (v == JsonToken.START_OBJECT) {
                        records.parseRecord(json);
                        sawDetail = true;
                    } else {
                        rootProblem =
                                "detail: expected an object (the CloudTrail record), got "
                                        + CloudTrailRecordParser.kind(v);
                        json.skipChildren();
                    }
                } else {
                    json.skipChildren();
                }
            } else if (kind == UNDECIDED || kind == RECORD) {
                kind = RECORD;
                records.field(json, name, v);
            } else {
                json.skipChildren();
            }
        }
        if (digest) {
            digestFiles++;
            return null;
        }
        if (kind == CLOUDWATCH && rootProblem == null) {
            if ("CONTROL_MESSAGE".equals(messageType)) {
                if (!sawLogEvents) {
                    controlMessages++;
                }
                return null;
            }
            rootProblem =
                    sawLogEvents
                            ? null
                            : "a CloudWatch Logs payload without logEvents: expected an array of log events";
            if (rootProblem == null) {
                return null;
            }
        }
        if (kind == EVENTBRIDGE && rootProblem == null) {
            if (detailType != null && !detailType.endsWith("via CloudTrail")) {
                recordsRead++;
                otherEvents++;
                warnOnce(
                        "detail-type " + detailType,
                        location
                                + ": EventBridge events with detail-type '"
                                + detailType
                                + "' are not CloudTrail records; counted with the other events and skipped");
                return null;
            }
            if (!sawDetail) {
                rootProblem =
                        "an EventBridge envelope without detail: expected the CloudTrail record in detail";
            }
        }
        if (rootProblem != null) {
            recordsRead++;
            long end = json.currentLocation().getByteOffset();
            return dead(lineOrigin + rootLine, rootProblem, raw(start, end), -1L);
        }
        return emit(lineOrigin, rootLine, start);
    }

    private CloudTrailEvent nextRecord() throws IOException {
        currentIndex = recordIndex;
        JsonToken t = json.nextToken();
        if (t == JsonToken.END_ARRAY) {
            state = recordsAtRoot ? ROOT : ROOT_REST;
            return null;
        }
        long index = recordIndex++;
        long start = json.currentTokenLocation().getByteOffset();
        if (t != JsonToken.START_OBJECT) {
            json.skipChildren();
            recordsRead++;
            return dead(
                    CloudTrailValues.location(recordsOrigin, index),
                    "expected a CloudTrail record (a JSON object), got "
                            + CloudTrailRecordParser.kind(t),
                    "",
                    -1L);
        }
        mark(start);
        records.parseRecord(json);
        return emit(recordsOrigin, index, start);
    }

    private CloudTrailEvent nextLogEvent() throws IOException {
        JsonToken t = json.nextToken();
        if (t == JsonToken.END_ARRAY) {
            state = ROOT_REST;
            return null;
        }
        long event = ++eventInEnvelope;
        if (t != JsonToken.START_OBJECT) {
            json.skipChildren();
            recordsRead++;
            return dead(
                    envelopeOrigin + event,
                    "expected a log event (a JSON object with a message), got "
                            + CloudTrailRecordParser.kind(t),
                    "",
                    -1L);
        }
        String message = null;
        String problem = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken v = json.nextToken();
            if ("message".equals(name) && v == JsonToken.VALUE_STRING) {
                message = json.getText();
            } else if ("message".equals(name)) {
                problem =
                        "message: expected a CloudTrail record as JSON text, got "
                                + CloudTrailRecordParser.kind(v);
                json.skipChildren();
            } else {
                json.skipChildren();
            }
        }
        if (message == null) {
            recordsRead++;
            String reason = problem != null ? problem : "log event without a message";
            return dead(envelopeOrigin + event, reason, "", -1L);
        }
        if (message.startsWith("CWL CONTROL MESSAGE")) {
            controlMessages++;
            return null;
        }
        return message(message, event);
    }

    /** A CloudWatch log event's message: one record as JSON text, parsed on its own. */
    private CloudTrailEvent message(String message, long event) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int saveMode = rawMode;
        byte[] saveBytes = rawBytes;
        int saveBase = rawBase;
        rawMode = RAW_BYTES;
        rawBytes = bytes;
        rawBase = 0;
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                recordsRead++;
                return dead(
                        envelopeOrigin + event,
                        "message: expected a CloudTrail record (a JSON object), got "
                                + CloudTrailRecordParser.kind(t),
                        raw(0, bytes.length),
                        -1L);
            }
            records.parseRecord(p);
            JsonParser envelopeParser = json;
            json = p;
            try {
                return emit(envelopeOrigin, event, 0);
            } finally {
                json = envelopeParser;
            }
        } catch (JsonProcessingException e) {
            recordsRead++;
            long at = e.getLocation() != null ? e.getLocation().getByteOffset() : -1L;
            return dead(
                    envelopeOrigin + event,
                    "malformed JSON in the message"
                            + (at >= 0 ? " at byte " + at : "")
                            + ": "
                            + e.getOriginalMessage(),
                    raw(0, bytes.length),
                    -1L);
        } finally {
            rawMode = saveMode;
            rawBytes = saveBytes;
            rawBase = saveBase;
        }
    }

    /** Types the record just read; null when it is another service's event. */
    private CloudTrailEvent emit(String origin, long position, long start) throws IOException {
        recordsRead++;
        CloudTrailRecordParser.Kind kind = records.finish();
        if (records.eventVersion != null && !records.eventVersion.startsWith("1.")) {
            warnOnce(
                    "eventVersion " + records.eventVersion,
                    location
                            + ": eventVersion "
                            + records.eventVersion
                            + " is newer than this reader knows (1.x); its records are read as 1.x");
        }
        if (records.note != null) {
            warn(CloudTrailValues.location(origin, position) + ": " + records.note);
        }
        switch (kind) {
            case KMS:
                return CloudTrailEvent.of(records.kmsEvent(origin, position));
            case NETWORK_CHANGE:
                return CloudTrailEvent.of(records.networkChangeEvent(origin, position));
            case OTHER:
                otherEvents++;
                return null;
            default:
                long end = json.currentLocation().getByteOffset();
                return dead(
                        CloudTrailValues.location(origin, position),
                        records.problem,
                        raw(start, end),
                        records.recordTimeMillis());
        }
    }

    /**
     * Broken JSON. In a document, nothing after it can be trusted: one dead letter for the rest. In
     * JSON lines, the line is lost and the next one is read.
     */
    private CloudTrailEvent broken(String reason, boolean endOfInput) {
        recordsRead++;
        long offset = json.currentLocation().getByteOffset();
        long absolute = lineMode ? lineOffset + offset : offset;
        String where;
        long markedStart = rawMode == RAW_STREAM ? recorderMark : -1L;
        if (state == RECORDS) {
            where = CloudTrailValues.location(recordsOrigin, currentIndex);
        } else if (state == LOG_EVENTS) {
            where = location + ":envelope " + envelope;
        } else {
            // Broken before the first value was recognised: the line where parsing stopped.
            where =
                    lineOrigin
                            + (rootLine > 0
                                    ? rootLine
                                    : Math.max(1, json.currentLocation().getLineNr()));
        }
        String raw;
        if (lineMode) {
            raw = raw(0, lineTo - lineFrom);
        } else {
            raw = markedStart >= 0 ? raw(markedStart, offset) : "";
        }
        try {
            json.close();
        } catch (IOException e) {
            // nothing more to read from it anyway
        }
        json = null;
        if (!lineMode) {
            state = END;
        } else {
            state = ROOT;
        }
        String rest =
                lineMode
                        ? ""
                        : "; the rest of the input"
                                + (endOfInput
                                        ? " is missing"
                                        : " cannot be trusted and is not read");
        return dead(where + " (byte " + absolute + ")", reason + rest, raw, -1L);
    }

    private void mark(long start) {
        if (rawMode == RAW_STREAM) {
            recorderMark = start;
            if (recorder != null) {
                recorder.markRecord(start);
            }
        }
    }

    private String raw(long start, long end) {
        if (rawMode == RAW_BYTES || lineMode) {
            byte[] b = rawMode == RAW_BYTES ? rawBytes : buf;
            int base = rawMode == RAW_BYTES ? rawBase : lineFrom;
            int limitBytes = rawMode == RAW_BYTES ? rawBytes.length : lineTo - lineFrom;
            int from = (int) Math.max(0, Math.min(start, limitBytes));
            int to = (int) Math.max(from, Math.min(end, limitBytes));
            return FlowLogTextReader.raw(b, base + from, base + to);
        }
        return recorder != null ? recorder.raw(start, end) : "";
    }

    private String originPrefix() {
        return lineMode ? lineOrigin + lineNumber + " " : location + ":";
    }

    private void endOfParser() throws IOException {
        json.close();
        json = null;
        if (!lineMode) {
            state = END;
        }
    }

    private DeadLetter deadLetter(String where, String reason, String raw, long recordTime) {
        return new DeadLetter(SOURCE, where, reason, raw, recordTime, seenAt);
    }

    private CloudTrailEvent dead(String where, String reason, String raw, long recordTime) {
        return CloudTrailEvent.dead(deadLetter(where, reason, raw, recordTime));
    }

    private static boolean isDigestKey(String name) {
        return name.startsWith("digest")
                || name.startsWith("previousDigest")
                || "logFiles".equals(name)
                || "newestEventTime".equals(name)
                || "oldestEventTime".equals(name);
    }

    private void warnOnce(String key, String warning) {
        if (warned.add(key)) {
            warn(warning);
        }
    }

    private void warn(String warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        } else if (warnings.size() == MAX_WARNINGS) {
            warnings.add(location + ": more warnings not shown");
        }
    }

    // ---------------------------------------------------------------- choosing how to read

    /**
     * Line by line when the first line is a whole JSON value (or broken JSON, as one line of JSON
     * lines can be) that is not a log file, digest or CloudWatch payload: those are read as one
     * document, streamed, however large.
     */
    private static boolean readsByLine(byte[] head, int n) {
        int first = 0;
        while (first < n && isBlank(head[first])) {
            first++;
        }
        if (first >= n || head[first] != '{') {
            return false;
        }
        int nl = first;
        while (nl < n && head[nl] != '\n') {
            nl++;
        }
        if (nl == n && n == head.length) {
            return false; // a first line longer than the sniffed head: a document
        }
        try (JsonParser p = JSON.createParser(head, first, nl - first)) {
            p.nextToken();
            JsonToken t = p.nextToken();
            if (t == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if ("Records".equals(name) || CLOUDWATCH_KEYS.contains(name) || isDigestKey(name)) {
                    return false;
                }
                p.nextToken();
                p.skipChildren();
            }
            while (p.nextToken() != null) {
                p.skipChildren();
            }
            return true;
        } catch (JsonEOFException e) {
            return false; // the first line is the start of a longer document
        } catch (IOException e) {
            return nl < n; // broken first line of JSON lines
        }
    }

    /**
     * Reads up to {@code head.length} bytes without consuming them. A gzip stream cut short gives
     * what it has: the cut is met again while reading, where it becomes a dead letter.
     */
    private static int peek(BufferedInputStream in, byte[] head) throws IOException {
        in.mark(head.length);
        int n = 0;
        try {
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (ZipException | EOFException e) {
            // see above
        }
        in.reset();
        return n;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    // ---------------------------------------------------------------- JSON lines

    /**
     * Moves to the next non-blank line and opens a parser on it; leaves {@link #json} null at the
     * end. A line too long to be a record is returned as a dead letter.
     */
    private CloudTrailEvent nextLine() throws IOException {
        while (true) {
            int nl = findNewline();
            boolean piece = nl == limit;
            if (nl < 0) {
                if (pos >= limit) {
                    return null;
                }
                nl = limit;
            }
            int from = pos;
            int to = nl;
            long offset = consumed + from;
            pos = Math.min(nl + 1, limit);
            if (restOfLongLine) {
                restOfLongLine = piece;
                continue;
            }
            lineNumber++;
            if (to - from > MAX_LINE_BYTES || piece) {
                restOfLongLine = piece;
                recordsRead++;
                return dead(
                        lineOrigin + lineNumber,
                        "line longer than " + MAX_LINE_BYTES + " bytes: not a CloudTrail record",
                        FlowLogTextReader.raw(buf, from, to),
                        -1L);
            }
            int first = from;
            while (first < to && isBlank(buf[first])) {
                first++;
            }
            if (first == to) {
                continue;
            }
            lineFrom = from;
            lineTo = to;
            lineOffset = offset;
            rootLine = lineNumber;
            json = JSON.createParser(buf, from, to - from);
            state = ROOT;
            return null;
        }
    }

    /**
     * Index of the next '\n' at or after {@link #pos}, reading more as needed; -1 at the end with
     * no newline; {@link #limit} for a piece of a line longer than {@link #MAX_LINE_BYTES}.
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
                consumed += pos;
                limit -= pos;
                scanFrom = limit;
                pos = 0;
            } else {
                scanFrom = limit;
            }
            if (limit == buf.length) {
                if (buf.length > MAX_LINE_BYTES) {
                    return limit;
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
    }
}
