package io.flowtrail.parse;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.LocalInputFile;

/** Opens the right {@link FlowLogReader} for a local file, by its content. */
public final class FlowLogReaders {
    private FlowLogReaders() {}

    /**
     * A Parquet flow-log reader; a file that starts like Parquet but cannot be opened (a cut-off
     * upload) is one dead letter, not an exception that would fail the job on every restart.
     */
    public static FlowLogReader parquet(org.apache.parquet.io.InputFile file, String location) {
        try {
            return new ParquetFlowLogReader(file, location);
        } catch (IOException | RuntimeException e) {
            return unreadable(location, "unreadable Parquet file: " + e);
        }
    }

    /** A reader that yields one dead letter for an input that cannot be read at all. */
    public static FlowLogReader unreadable(String location, String reason) {
        DeadLetter dead =
                new DeadLetter("flow-log", location, reason, "", -1L, System.currentTimeMillis());
        return new FlowLogReader() {
            private boolean done;

            @Override
            public FlowRecord next() {
                if (done) {
                    return null;
                }
                done = true;
                return FlowRecord.dead(dead);
            }

            @Override
            public java.util.List<String> warnings() {
                return java.util.List.of();
            }

            @Override
            public long controlMessagesSkipped() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }

    public static FlowLogReader open(Path file, FlowLogFormat fallbackFormat) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream probe = Files.newInputStream(file)) {
            n = probe.readNBytes(head, 0, 4);
        }
        if (InputSniffer.isParquet(head, n)) {
            return parquet(new LocalInputFile(file), file.toString());
        }
        return new FlowLogTextReader(
                new BufferedInputStream(Files.newInputStream(file), 64 * 1024),
                file.toString(),
                fallbackFormat);
    }
}
