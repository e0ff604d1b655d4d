package io.flowtrail.parse;

import static io.flowtrail.parse.FlowLogFiles.ascii;
import static io.flowtrail.parse.FlowLogFiles.drain;
import static io.flowtrail.parse.FlowLogFiles.fixture;
import static io.flowtrail.parse.FlowLogFiles.gzip;
import static io.flowtrail.parse.FlowLogFiles.gzipMembers;
import static io.flowtrail.parse.FlowLogFiles.linesAfterHeader;
import static io.flowtrail.parse.FlowLogFiles.readAll;
import static io.flowtrail.parse.FlowLogFiles.src;
import static io.flowtrail.parse.FlowRecordText.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLogFiles.Read;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S3 text files and plain text streams: header handling, line numbers, gzip by content, and bad
 * lines as dead letters that name their file and physical line while reading goes on.
 */
class FlowLogTextReaderTest {
    private static final String HEADER =
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
                    + " start end action log-status";
    private static final String SSH =
            "2 111122223333 eni-0a1b2c3d4e5f60718 198.51.100.24 10.0.1.15 50722 22 6 12 2240"
                    + " 1718028000 1718028058 ACCEPT OK";
    private static final String DNS =
            "2 111122223333 eni-0a1b2c3d4e5f60718 10.0.1.15 10.0.2.53 41234 53 17 2 148 1718028030"
                    + " 1718028030 ACCEPT OK";

    @TempDir Path dir;

    // ------------------------------------------------------------ bad lines

    @Test
    void badLinesBecomeDeadLettersNamingFileLineAndReasonAndReadingGoesOn() throws IOException {
        Path file = fixture("bad-lines.log");

        Read read = readAll(file);

        assertThat(read.all())
                .extracting(r -> r.isDeadLetter() ? r.deadLetter.location : r.location())
                .containsExactly(
                        file + ":2",
                        file + ":3",
                        file + ":4",
                        file + ":5",
                        file + ":6",
                        file + ":7");
        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(
                                file + ":3",
                                "truncated: 11 of the 14 fields the format declares (the last one"
                                        + " read was start)"),
                        tuple(
                                file + ":4",
                                "packets: expected a non-negative integer or -, got '12x'"),
                        tuple(
                                file + ":5",
                                "srcaddr: expected an IPv4 or IPv6 address or -, got '10.0.300.5'"),
                        tuple(file + ":6", "dstport: expected a port 0-65535 or -, got '65536'"));
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.dstPort)
                .containsExactly(tuple(file + ":2", 22), tuple(file + ":7", 53));
    }

    @Test
    void aDeadLetterKeepsTheRawLineAndIsMarkedAsAFlowLog() throws IOException {
        Path file = fixture("bad-lines.log");
        String line4 = Files.readAllLines(file).get(3);

        DeadLetter packets12x = readAll(file).deadLetters().get(1);

        assertThat(packets12x.source).isEqualTo("flow-log");
        assertThat(packets12x.raw).isEqualTo(line4);
        assertThat(packets12x.recordTimeMillis).isEqualTo(-1L);
    }

    @Test
    void binaryGarbageIsADeadLetterAndTheNextLineStillParses() throws IOException {
        byte[] garbage = new byte[300];
        new Random(42).nextBytes(garbage);
        garbage[0] = 0x00;
        garbage[1] = (byte) 0xFF;
        for (int i = 2; i < garbage.length; i++) {
            if (garbage[i] == '\n') {
                garbage[i] = 0x7f; // one line of garbage, not several
            }
        }
        Path file = dir.resolve("garbage.log");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(ascii(HEADER + "\n" + SSH + "\n"));
        content.write(garbage);
        content.write(ascii("\n" + DNS + "\n"));
        Files.write(file, content.toByteArray());

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason, d -> d.raw)
                .containsExactly(
                        tuple(
                                file + ":3",
                                "control byte 0x0 at column 1: not a flow-log record",
                                new String(garbage, StandardCharsets.UTF_8)));
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(file + ":2", file + ":4");
    }

    @Test
    void aLineLongerThan64KibIsOneDeadLetterAndLineNumbersStayRight() throws IOException {
        String longLine = "x".repeat(100_000);
        Path file = dir.resolve("long-line.log");
        Files.writeString(file, HEADER + "\n" + longLine + "\n" + SSH + "\n");

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason, d -> d.raw)
                .containsExactly(
                        tuple(
                                file + ":2",
                                "line longer than 65536 bytes: not a flow-log record",
                                "x".repeat(DeadLetter.RAW_MAX_BYTES) + "…[truncated]"));
        assertThat(read.records()).extracting(FlowRecord::location).containsExactly(file + ":3");
    }

    /** Longer than the largest buffer the reader grows to (512 KiB): it sees the line in pieces. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {530_000, 1_500_000})
    void aLineLongerThanTheReadBufferIsStillOneDeadLetter(int length) throws IOException {
        String hugeLine = "x".repeat(length);
        Path file = dir.resolve("huge-line.log");
        Files.writeString(file, HEADER + "\n" + hugeLine + "\n" + SSH + "\n");

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(file + ":2", "line longer than 65536 bytes: not a flow-log record"));
        assertThat(read.records()).extracting(FlowRecord::location).containsExactly(file + ":3");
    }

    @Test
    void aSecondHeaderInsideAFileIsADeadLetterNotANewFormat() throws IOException {
        Path file = dir.resolve("two-files-concatenated.log");
        Files.writeString(file, HEADER + "\n" + SSH + "\n" + HEADER + "\n" + DNS + "\n");

        Read read = readAll(file);

        assertThat(read.deadLetters())
                .extracting(d -> d.location, d -> d.reason)
                .containsExactly(
                        tuple(
                                file + ":3",
                                "version: expected a non-negative integer or -, got 'version'"));
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(file + ":2", file + ":4");
    }

    // ------------------------------------------------------------ line numbers

    @Test
    void blankLinesAreCountedSoLocationsAreThePhysicalLines() throws IOException {
        Path file = fixture("blank-lines-in-middle.log");

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.dstPort)
                .containsExactly(
                        tuple(file + ":2", 22), tuple(file + ":4", 3389), tuple(file + ":7", 53));
    }

    @Test
    void windowsLineEndingsReadLikeUnixOnes() throws IOException {
        Path unix = fixture("example-a-default-v2.log");
        Path windows = dir.resolve("example-a-crlf.log");
        Files.writeString(windows, Files.readString(unix).replace("\n", "\r\n"));

        Read read = readAll(windows);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records()).extracting(FlowRecord::location).endsWith(windows + ":9");
        assertThat(read.records())
                .extracting(r -> render(r, FlowLogFormat.DEFAULT))
                .containsExactlyElementsOf(linesAfterHeader(unix));
    }

    @Test
    void theLastLineNeedsNoNewline() throws IOException {
        Path file = dir.resolve("no-final-newline.log");
        Files.writeString(file, HEADER + "\n" + SSH + "\n" + DNS);

        Read read = readAll(file);

        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.dstPort)
                .containsExactly(tuple(file + ":2", 22), tuple(file + ":3", 53));
    }

    @Test
    void aHeaderAfterLeadingBlankLinesIsStillTheHeader() throws IOException {
        Path file = dir.resolve("leading-blank-lines.log");
        Files.writeString(file, "\n\n" + HEADER + "\n" + SSH + "\n");

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records()).extracting(FlowRecord::location).containsExactly(file + ":4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "example-a-default-v2.log, 1",
        "example-b-custom-v5.log, 1",
        "example-c-bytes-before-packets-v3.log, 0",
        "example-d-ecs-reject-reason-v8.log, 1",
        "example-e-encryption-status.log, 1",
        "example-g-firehose-plain.log, 0",
        "bad-lines.log, 1",
        "blank-lines-in-middle.log, 1",
        "header-unusual-order.log, 1",
        "header-unknown-field.log, 1"
    })
    void recordsAndDeadLettersTogetherAccountForEveryNonBlankNonHeaderLine(
            String fixture, int headerLines) throws IOException {
        Path file = fixture(fixture);
        long nonBlank = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();

        Read read = readAll(file);

        assertThat(read.all()).hasSize((int) (nonBlank - headerLines));
    }

    @Test
    void anEmptyFileHasNoRecords() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.log"));

        Read read = readAll(file);

        assertThat(read.all()).isEmpty();
        assertThat(read.warnings()).isEmpty();
    }

    @Test
    void aHeaderOnlyFileHasNoRecords() throws IOException {
        Path file = dir.resolve("header-only.log");
        Files.writeString(file, HEADER + "\n");

        assertThat(readAll(file).all()).isEmpty();
    }

    // ------------------------------------------------------------ headers

    @Test
    void aHeaderInAnUnusualOrderDecidesWhereEachValueGoes() throws IOException {
        Path file = fixture("header-unusual-order.log");
        FlowLogFormat header = FlowLogFormat.parse(Files.readAllLines(file).get(0));

        List<FlowRecord> records = readAll(file).records();

        assertThat(records)
                .extracting(r -> render(r, header))
                .containsExactlyElementsOf(linesAfterHeader(file));
        FlowRecord rdp = records.get(0);
        assertThat(rdp.location()).isEqualTo(file + ":2");
        assertThat(rdp.version).isEqualTo(2);
        assertThat(rdp.accountId).isEqualTo("111122223333");
        assertThat(src(rdp)).isEqualTo("203.0.113.77");
        assertThat(rdp.srcPort).isEqualTo(61011);
        assertThat(rdp.dstPort).isEqualTo(3389);
        assertThat(rdp.packets).isEqualTo(3L);
        assertThat(rdp.bytes).isEqualTo(156L);
        assertThat(rdp.start).isEqualTo(1718028003L);
        assertThat(rdp.end).isEqualTo(1718028041L);
        assertThat(rdp.action).isEqualTo(FlowRecord.ACTION_REJECT);
        assertThat(rdp.logStatus).isEqualTo(FlowRecord.STATUS_OK);
    }

    @Test
    void anUnknownHeaderFieldIsSkippedWithExactlyOneWarningForTheFile() throws IOException {
        Path file = fixture("header-unknown-field.log");

        Read read = readAll(file);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.dstPort, r -> r.protocol, r -> r.packets)
                .containsExactly(tuple(file + ":2", 22, 6, 12L), tuple(file + ":3", 3389, 6, 3L));
        assertThat(read.warnings())
                .containsExactly(
                        file
                                + ": header names fields this version of Flowtrail does not know,"
                                + " their values are skipped: quantum-state");
    }

    // ------------------------------------------------------------ gzip, recognised by content

    @Test
    void aGzippedS3FileReadsLikeItsText() throws IOException {
        Path text = fixture("example-a-default-v2.log");
        Path gz = gzipMembers(dir.resolve("example-a.log.gz"), Files.readAllBytes(text));

        Read read = readAll(gz);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records()).extracting(FlowRecord::location).startsWith(gz + ":2");
        assertThat(read.records())
                .extracting(r -> render(r, FlowLogFormat.DEFAULT))
                .containsExactlyElementsOf(linesAfterHeader(text));
    }

    @Test
    void gzipIsRecognisedByContentWhateverTheFileIsCalled() throws IOException {
        Path text = fixture("example-a-default-v2.log");
        Path gzNamedLog = gzipMembers(dir.resolve("example-a.log"), Files.readAllBytes(text));

        Read read = readAll(gzNamedLog);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(r -> render(r, FlowLogFormat.DEFAULT))
                .containsExactlyElementsOf(linesAfterHeader(text));
    }

    @Test
    void plainTextCalledGzIsReadAsText() throws IOException {
        Path text = fixture("example-a-default-v2.log");
        Path plainNamedGz = Files.copy(text, dir.resolve("example-a.log.gz"));

        Read read = readAll(plainNamedGz);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records()).hasSize(8);
    }

    @Test
    void everyMemberOfAMultiMemberGzipFileIsRead() throws IOException {
        Path text = fixture("example-a-default-v2.log");
        List<String> lines = Files.readAllLines(text);
        byte[] first = ascii(String.join("\n", lines.subList(0, 5)) + "\n");
        byte[] second = ascii(String.join("\n", lines.subList(5, 9)) + "\n");
        Path gz = gzipMembers(dir.resolve("two-members.log.gz"), first, second);

        Read read = readAll(gz);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location)
                .containsExactly(
                        gz + ":2", gz + ":3", gz + ":4", gz + ":5", gz + ":6", gz + ":7", gz + ":8",
                        gz + ":9");
    }

    @Test
    void aLineSplitAcrossTwoGzipMembersIsOneLine() throws IOException {
        String content = HEADER + "\n" + SSH + "\n" + DNS + "\n";
        int middleOfSsh = HEADER.length() + 1 + SSH.length() / 2;
        Path gz =
                gzipMembers(
                        dir.resolve("split-line.log.gz"),
                        ascii(content.substring(0, middleOfSsh)),
                        ascii(content.substring(middleOfSsh)));

        Read read = readAll(gz);

        assertThat(read.deadLetters()).isEmpty();
        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.dstPort)
                .containsExactly(tuple(gz + ":2", 22), tuple(gz + ":3", 53));
    }

    /**
     * Object-store streams often report {@code available() == 0}; the JDK's gzip reader would then
     * stop after the first member.
     */
    @Test
    void everyGzipMemberIsReadFromAStreamThatReportsNothingAvailable() throws IOException {
        byte[] first = gzip(ascii(HEADER + "\n" + SSH + "\n"));
        byte[] second = gzip(ascii(DNS + "\n"));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(first);
        both.write(second);
        InputStream objectStore =
                new FilterInputStream(new ByteArrayInputStream(both.toByteArray())) {
                    @Override
                    public int available() {
                        return 0;
                    }
                };
        String key = "s3://bucket/AWSLogs/111122223333/vpcflowlogs/us-east-1/x.log.gz";

        Read read;
        try (FlowLogReader reader =
                new FlowLogTextReader(objectStore, key, FlowLogFormat.DEFAULT)) {
            read = drain(reader);
        }

        assertThat(read.records())
                .extracting(FlowRecord::location, r -> r.dstPort)
                .containsExactly(tuple(key + ":2", 22), tuple(key + ":3", 53));
    }
}
