package io.flowtrail.parse;

import static java.util.stream.Collectors.toList;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Fixture files, gzip, and whole-file reads for the parse tests. */
final class FlowLogFiles {
    private FlowLogFiles() {}

    /** A fixture beside the tests: {@code src/test/resources/io/flowtrail/parse/<name>}. */
    static Path fixture(String name) {
        URL url = FlowLogFiles.class.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything one reader gives for one input, read to its end. */
    record Read(List<FlowRecord> all, List<String> warnings, long controlMessagesSkipped) {
        List<FlowRecord> records() {
            return all.stream().filter(r -> !r.isDeadLetter()).collect(toList());
        }

        List<DeadLetter> deadLetters() {
            return all.stream()
                    .filter(FlowRecord::isDeadLetter)
                    .map(r -> r.deadLetter)
                    .collect(toList());
        }
    }

    /**
     * Opens the file by its content, as the file source does, with the default format as fallback.
     */
    static Read readAll(Path file) throws IOException {
        return readAll(file, FlowLogFormat.DEFAULT);
    }

    static Read readAll(Path file, FlowLogFormat fallback) throws IOException {
        try (FlowLogReader reader = FlowLogReaders.open(file, fallback)) {
            return drain(reader);
        }
    }

    static Read drain(FlowLogReader reader) throws IOException {
        List<FlowRecord> all = new ArrayList<>();
        for (FlowRecord r = reader.next(); r != null; r = reader.next()) {
            all.add(r);
        }
        assertEndIsSticky(reader);
        return new Read(all, List.copyOf(reader.warnings()), reader.controlMessagesSkipped());
    }

    private static void assertEndIsSticky(FlowLogReader reader) throws IOException {
        FlowRecord after = reader.next();
        if (after != null) {
            throw new AssertionError("reader gave " + after + " after it had returned null");
        }
    }

    /**
     * Writes each of {@code members} as its own gzip member, one after the other, to {@code file}.
     */
    static Path gzipMembers(Path file, byte[]... members) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] member : members) {
                out.write(gzip(member));
            }
        }
        return file;
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The record lines of a text fixture: every line after the header. */
    static List<String> linesAfterHeader(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        return lines.subList(1, lines.size());
    }

    static String src(FlowRecord r) {
        return IpAddresses.format(r.srcFamily, r.srcHi, r.srcLo);
    }

    static String dst(FlowRecord r) {
        return IpAddresses.format(r.dstFamily, r.dstHi, r.dstLo);
    }

    static String pktSrc(FlowRecord r) {
        return IpAddresses.format(r.pktSrcFamily, r.pktSrcHi, r.pktSrcLo);
    }

    static String pktDst(FlowRecord r) {
        return IpAddresses.format(r.pktDstFamily, r.pktDstHi, r.pktDstLo);
    }
}
