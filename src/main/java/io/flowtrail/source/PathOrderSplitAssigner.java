package io.flowtrail.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out files in path order. Flow-log and CloudTrail object names carry their time ({@code
 * ..._20261102T1005Z_...}), so path order is close to time order, and a streaming replay stays
 * within the watermark bound instead of reading the last hour first.
 */
public final class PathOrderSplitAssigner implements FileSplitAssigner {
    private static final Comparator<FileSourceSplit> ORDER =
            Comparator.comparing((FileSourceSplit s) -> s.path().toString())
                    .thenComparingLong(FileSourceSplit::offset)
                    .thenComparing(FileSourceSplit::splitId);

    private final TreeSet<FileSourceSplit> splits = new TreeSet<>(ORDER);

    public PathOrderSplitAssigner(Collection<FileSourceSplit> splits) {
        this.splits.addAll(splits);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(splits.pollFirst());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> newSplits) {
        splits.addAll(newSplits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(splits);
    }
}
