package io.flowtrail.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files end in a dead letter that says so, never in an exception that fails the job. */
class DamagedInputTest {
    @TempDir Path dir;

    static final String HEADER =
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
                    + " start end action log-status\n";
    static final String LINE =
            "2 111122223333 eni-0a1b2c3d4e5f60718 198.51.100.24 10.0.1.15 50722 22 6 12 2240"
                    + " 1718028000 1718028058 ACCEPT OK\n";

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    List<FlowRecord> readAll(byte[] content) throws IOException {
        Path f = dir.resolve("flows.log.gz");
        Files.write(f, content);
        List<FlowRecord> out = new ArrayList<>();
        try (FlowLogReader r = FlowLogReaders.open(f, FlowLogFormat.DEFAULT)) {
            for (FlowRecord rec; (rec = r.next()) != null; ) {
                out.add(rec);
            }
        }
        return out;
    }

    @Test
    void aTruncatedGzipKeepsWhatWasReadAndReportsTheRest() throws IOException {
        byte[] whole = gzip(HEADER + LINE.repeat(2000));
        List<FlowRecord> out = readAll(Arrays.copyOf(whole, whole.length / 2));
        FlowRecord last = out.get(out.size() - 1);
        // Whole lines before the damage are records; the line cut by it is a truncated record.
        assertThat(out.subList(0, out.size() - 2)).isNotEmpty().allMatch(r -> !r.isDeadLetter());
        assertThat(out.get(out.size() - 2).deadLetter.reason).startsWith("truncated: ");
        assertThat(last.isDeadLetter()).isTrue();
        assertThat(last.deadLetter.reason)
                .startsWith("unreadable after line ")
                .endsWith("; the rest of the input is not read");
        // Lines: the header, then one per record read; the damage is after the last of them.
        assertThat(last.deadLetter.location)
                .isEqualTo(dir.resolve("flows.log.gz") + ":" + (out.size() + 1));
    }

    @Test
    void aFileThatStartsLikeParquetButIsNotIsOneDeadLetter() throws IOException {
        List<FlowRecord> out =
                readAll(
                        "PAR1 and then nothing a Parquet reader can use"
                                .getBytes(StandardCharsets.US_ASCII));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).deadLetter.reason).startsWith("unreadable Parquet file: ");
    }

    @Test
    void aDamagedGzipHeaderIsOneDeadLetter() throws IOException {
        byte[] content = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x01};
        List<FlowRecord> out = readAll(content);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).deadLetter.reason).startsWith("unreadable");
    }
}
