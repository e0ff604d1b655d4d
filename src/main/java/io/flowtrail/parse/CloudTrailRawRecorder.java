package io.flowtrail.parse;

import io.flowtrail.model.DeadLetter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes the input through to the JSON parser and keeps just enough of it to quote a record in a
 * dead letter: the first {@link DeadLetter#RAW_MAX_BYTES} bytes from the start of the record being
 * read. The streaming parser has no tree to print, and the bytes are gone once it has read them.
 *
 * <p>Memory is fixed: a window of the latest bytes read (the parser holds at most its read buffer,
 * 8,000 bytes, unconsumed, so a record's start is always inside the window when it is marked) and
 * the head of the current record.
 */
final class CloudTrailRawRecorder extends InputStream {
    private static final int WINDOW = 1 << 17;

    private final InputStream in;
    private final byte[] window = new byte[WINDOW];
    private final byte[] head = new byte[DeadLetter.RAW_MAX_BYTES];

    /** Bytes passed through so far: the absolute offset of the next byte. */
    private long total;

    private long headStart = -1L;
    private int headLen;

    CloudTrailRawRecorder(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n <= 0) {
            return n;
        }
        if (headStart >= 0 && headLen < head.length) {
            // Invariant: the head reaches up to total until it is full.
            int take = Math.min(n, head.length - headLen);
            System.arraycopy(b, off, head, headLen, take);
            headLen += take;
        }
        int from = off;
        int count = n;
        if (count > WINDOW) {
            from += count - WINDOW;
            count = WINDOW;
        }
        long at = total + (from - off);
        int pos = (int) (at % WINDOW);
        int first = Math.min(count, WINDOW - pos);
        System.arraycopy(b, from, window, pos, first);
        System.arraycopy(b, from + first, window, 0, count - first);
        total += n;
        return n;
    }

    /** Starts recording a record at {@code offset}, a byte the parser has read. */
    void markRecord(long offset) {
        headStart = offset;
        headLen = 0;
        if (offset < total - WINDOW || offset > total) {
            headStart = -1L; // not retained: no raw text for this record
            return;
        }
        int n = (int) Math.min(head.length, total - offset);
        int at = (int) (offset % WINDOW);
        int first = Math.min(n, WINDOW - at);
        System.arraycopy(window, at, head, 0, first);
        System.arraycopy(window, 0, head, first, n - first);
        headLen = n;
    }

    /** The record marked at {@code from}, up to {@code to}, cut at the dead-letter limit. */
    String raw(long from, long to) {
        if (from != headStart || to <= from) {
            return "";
        }
        int n = (int) Math.min(Math.min(to - from, headLen), head.length);
        String s = new String(head, 0, n, StandardCharsets.UTF_8);
        return to - from > n ? s + "…[truncated]" : s;
    }

    /** What has been read of the record marked at {@code from}, cut at the dead-letter limit. */
    String rawFrom(long from) {
        if (from != headStart) {
            return "";
        }
        String s = new String(head, 0, headLen, StandardCharsets.UTF_8);
        return headLen == head.length ? s + "…[truncated]" : s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
