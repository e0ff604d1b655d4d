package io.flowtrail.source;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.parse.CloudTrailReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
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
        return new EventReader(open(split), 0);
    }

    @Override
    public Reader<CloudTrailEvent> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        CloudTrailReader reader = open(split);
        for (long i = 0; i < skip && reader.next() != null; i++) {
            // already emitted before the checkpoint
        }
        return new EventReader(reader, skip);
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

    private static final class EventReader implements Reader<CloudTrailEvent> {
        private final CloudTrailReader reader;
        private long emitted;
        private boolean done;

        EventReader(CloudTrailReader reader, long emitted) {
            this.reader = reader;
            this.emitted = emitted;
        }

        @Override
        public RecordIterator<CloudTrailEvent> readBatch() throws IOException {
            if (done) {
                return null;
            }
            CloudTrailEvent[] batch = new CloudTrailEvent[BATCH];
            int n = 0;
            while (n < BATCH) {
                CloudTrailEvent e = reader.next();
                if (e == null) {
                    done = true;
                    break;
                }
                batch[n++] = e;
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<CloudTrailEvent> it = new ArrayResultIterator<>();
            it.set(batch, n, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += n;
            return it;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
