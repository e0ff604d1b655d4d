package io.flowtrail.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Recognises input by its content, never by its file name: gzip by its magic bytes (any number of
 * concatenated members), Parquet by {@code PAR1}, JSON by its first non-blank character.
 */
public final class InputSniffer {
    private InputSniffer() {}

    public static boolean isGzip(byte[] head, int n) {
        return n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    public static boolean isParquet(byte[] head, int n) {
        return n >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1';
    }

    /** Reads up to {@code head.length} bytes without consuming them. */
    public static int peek(BufferedInputStream in, byte[] head) throws IOException {
        in.mark(head.length);
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.reset();
        return n;
    }

    /**
     * Undoes gzip when the stream starts with its magic bytes, however many members there are. The
     * JDK reads the next member only when the stream under it reports bytes {@code available()};
     * object stores often report none, so the stream under it here answers by looking ahead one
     * byte.
     */
    public static BufferedInputStream decompressIfGzip(BufferedInputStream in) throws IOException {
        byte[] head = new byte[2];
        if (!isGzip(head, peek(in, head))) {
            return in;
        }
        InputStream gz = new GZIPInputStream(new LookAheadAvailable(in), 64 * 1024);
        return new BufferedInputStream(new OneReadAtATime(gz), 256 * 1024);
    }

    /** First byte that is not white space, without consuming anything; -1 at the end. */
    public static int firstNonBlank(BufferedInputStream in) throws IOException {
        byte[] head = new byte[64];
        int n = peek(in, head);
        for (int i = 0; i < n; i++) {
            byte b = head[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b & 0xff;
            }
        }
        return -1;
    }

    /**
     * Reports nothing available, so that a {@link BufferedInputStream} on top returns after each
     * read of the gzip stream: when the gzip turns out to be truncated, the bytes inflated before
     * the damage reach the reader instead of being dropped with the exception.
     */
    private static final class OneReadAtATime extends java.io.FilterInputStream {
        OneReadAtATime(InputStream in) {
            super(in);
        }

        @Override
        public int available() {
            return 0;
        }
    }

    private static final class LookAheadAvailable extends java.io.FilterInputStream {
        private final BufferedInputStream buffered;

        LookAheadAvailable(BufferedInputStream in) {
            super(in);
            this.buffered = in;
        }

        @Override
        public int available() throws IOException {
            int n = buffered.available();
            if (n > 0) {
                return n;
            }
            buffered.mark(1);
            int b = buffered.read();
            buffered.reset();
            return b < 0 ? 0 : 1;
        }
    }
}
