package io.flowtrail.source;

import java.io.Closeable;
import java.io.IOException;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;

/**
 * The Flink side of reading one whole file with one of Flowtrail's readers (flow logs, CloudTrail):
 * batches of records, each positioned by the number of records before it, so that a restore skips
 * exactly those (see {@link #skip}).
 */
final class WholeFileReader<T> implements BulkFormat.Reader<T> {
    /** A reader of records: the next one, or null at the end. */
    interface Records<T> extends Closeable {
        T next() throws IOException;
    }

    private final Records<T> records;
    private final int batchSize;
    private long emitted;
    private boolean done;

    WholeFileReader(Records<T> records, long alreadyEmitted, int batchSize) {
        this.records = records;
        this.emitted = alreadyEmitted;
        this.batchSize = batchSize;
    }

    /** Reads past the records a restored split had already emitted; returns how many it skipped. */
    static <T> long skip(Records<T> records, long count) throws IOException {
        long i = 0;
        while (i < count && records.next() != null) {
            i++;
        }
        return i;
    }

    @Override
    @SuppressWarnings("unchecked")
    public BulkFormat.RecordIterator<T> readBatch() throws IOException {
        if (done) {
            return null;
        }
        Object[] batch = new Object[batchSize];
        int n = 0;
        while (n < batchSize) {
            T r = records.next();
            if (r == null) {
                done = true;
                break;
            }
            batch[n++] = r;
        }
        if (n == 0) {
            return null;
        }
        ArrayResultIterator<T> it = new ArrayResultIterator<>();
        it.set((T[]) batch, n, CheckpointedPosition.NO_OFFSET, emitted);
        emitted += n;
        return it;
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
