package io.flowtrail.source;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLogFormat;
import io.flowtrail.parse.FlowLogReader;
import io.flowtrail.parse.FlowLogReaders;
import io.flowtrail.parse.FlowLogTextReader;
import io.flowtrail.parse.InputSniffer;
import io.flowtrail.parse.ParquetFlowLogReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whole flow-log files (any of the shapes {@link FlowLogTextReader} and {@link
 * ParquetFlowLogReader} accept, recognised by content) as a Flink file format. Files are not split:
 * gzip cannot be. The reader's position is the number of records already emitted, so a restore
 * skips exactly those.
 */
public final class FlowLogFileFormat implements BulkFormat<FlowRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FlowLogFileFormat.class);
    private static final int BATCH = 512;

    private final FlowLogFormat fallbackFormat;

    public FlowLogFileFormat(FlowLogFormat fallbackFormat) {
        this.fallbackFormat = fallbackFormat;
    }

    @Override
    public Reader<FlowRecord> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return new WholeFileReader<>(records(open(split)), 0, BATCH);
    }

    @Override
    public Reader<FlowRecord> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        WholeFileReader.Records<FlowRecord> records = records(open(split));
        WholeFileReader.skip(records, skip);
        return new WholeFileReader<>(records, skip, BATCH);
    }

    /** A flow-log reader as records; its warnings are logged when the file is done. */
    private static WholeFileReader.Records<FlowRecord> records(FlowLogReader reader) {
        return new WholeFileReader.Records<>() {
            @Override
            public FlowRecord next() throws IOException {
                return reader.next();
            }

            @Override
            public void close() throws IOException {
                for (String warning : reader.warnings()) {
                    LOG.warn(warning);
                }
                reader.close();
            }
        };
    }

    private FlowLogReader open(FileSourceSplit split) throws IOException {
        FileSystem fs = split.path().getFileSystem();
        FSDataInputStream in = fs.open(split.path());
        String location = displayName(split.path());
        byte[] head = new byte[4];
        int n = in.read(head, 0, 4);
        if (n > 0 && n < 4) {
            int more = in.read(head, n, 4 - n);
            n += Math.max(0, more);
        }
        if (InputSniffer.isParquet(head, n)) {
            in.close();
            return FlowLogReaders.parquet(new FlinkInputFile(fs, split), location);
        }
        in.seek(0);
        return new FlowLogTextReader(
                new BufferedInputStream(in, 64 * 1024), location, fallbackFormat);
    }

    /** Local files by their plain path; others (s3://...) with their scheme. */
    static String displayName(org.apache.flink.core.fs.Path path) {
        String scheme = path.toUri().getScheme();
        return scheme == null || "file".equals(scheme) ? path.toUri().getPath() : path.toString();
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<FlowRecord> getProducedType() {
        return TypeInformation.of(FlowRecord.class);
    }

    /** Parquet's view of a file on a Flink file system (local, S3 through a plugin, ...). */
    private static final class FlinkInputFile implements InputFile {
        private final FileSystem fs;
        private final FileSourceSplit split;

        FlinkInputFile(FileSystem fs, FileSourceSplit split) {
            this.fs = fs;
            this.split = split;
        }

        @Override
        public long getLength() {
            return split.fileSize();
        }

        @Override
        public SeekableInputStream newStream() throws IOException {
            FSDataInputStream in = fs.open(split.path());
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }
}
