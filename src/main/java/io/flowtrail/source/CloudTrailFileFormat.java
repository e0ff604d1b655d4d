package io.flowtrail.source;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.parse.CloudTrailReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FileSystem;

/**
 * Reads whole CloudTrail files (S3 log files, digests, JSON lines, EventBridge envelopes,
 * CloudWatch Logs payloads; gzip or not) with {@link CloudTrailReader} as a Flink file format. As
 * for flow logs, files are not split and a restore skips the events already emitted.
 */
public final class CloudTrailFileFormat implements BulkFormat<CloudTrailEvent, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 256;

    @Override
    public Reader<CloudTrailEvent> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return new WholeFileReader<>(records(open(split)), 0, BATCH);
    }

    @Override
    public Reader<CloudTrailEvent> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        WholeFileReader.Records<CloudTrailEvent> records = records(open(split));
        WholeFileReader.skip(records, skip);
        return new WholeFileReader<>(records, skip, BATCH);
    }

    private static WholeFileReader.Records<CloudTrailEvent> records(CloudTrailReader reader) {
        return new WholeFileReader.Records<>() {
            @Override
            public CloudTrailEvent next() throws IOException {
                return reader.next();
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    private static CloudTrailReader open(FileSourceSplit split) throws IOException {
        FileSystem fs = split.path().getFileSystem();
        return new CloudTrailReader(
                new BufferedInputStream(fs.open(split.path()), 64 * 1024),
                FlowLogFileFormat.displayName(split.path()));
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<CloudTrailEvent> getProducedType() {
        return TypeInformation.of(CloudTrailEvent.class);
    }
}
