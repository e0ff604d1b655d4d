package io.flowtrail.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.LocalInputFile;

/** Opens the right {@link FlowLogReader} for a local file, by its content. */
public final class FlowLogReaders {
    private FlowLogReaders() {}

    public static FlowLogReader open(Path file, FlowLogFormat fallbackFormat) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream probe = Files.newInputStream(file)) {
            n = probe.readNBytes(head, 0, 4);
        }
        if (InputSniffer.isParquet(head, n)) {
            return new ParquetFlowLogReader(new LocalInputFile(file), file.toString());
        }
        return new FlowLogTextReader(
                new BufferedInputStream(Files.newInputStream(file), 64 * 1024),
                file.toString(),
                fallbackFormat);
    }
}
