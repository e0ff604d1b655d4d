package io.flowtrail.source;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out files in the order of the time their names carry: S3 flow-log and CloudTrail objects
 * ({@code ..._20261102T1005Z_...}) and Firehose objects ({@code ...-2026-11-02-10-01-37-...}). A
 * streaming replay then reads every flow log's 10:00 files before any 10:55 file, and stays within
 * the watermark bound. A file whose name has no time goes by its modification time; ties go by
 * path.
 *
 * <p>Per file, not per record: a regex is fine here.
 */
public final class TimeOrderSplitAssigner implements FileSplitAssigner {
    private static final Pattern S3_TIME = Pattern.compile("_(\\d{8})T(\\d{4})Z");
    private static final Pattern FIREHOSE_TIME =
            Pattern.compile("-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-");

    private static final Comparator<FileSourceSplit> ORDER =
            Comparator.comparingLong(TimeOrderSplitAssigner::timeOf)
                    .thenComparing((FileSourceSplit s) -> s.path().toString())
                    .thenComparingLong(FileSourceSplit::offset)
                    .thenComparing(FileSourceSplit::splitId);

    private final TreeSet<FileSourceSplit> splits = new TreeSet<>(ORDER);

    public TimeOrderSplitAssigner(Collection<FileSourceSplit> splits) {
        this.splits.addAll(splits);
    }

    /** Epoch milliseconds of the time in the file's name, else its modification time. */
    static long timeOf(FileSourceSplit split) {
        return timeInName(split.path().getName(), split.fileModificationTime());
    }

    public static long timeInName(String name, long fallback) {
        Matcher s3 = S3_TIME.matcher(name);
        if (s3.find()) {
            String d = s3.group(1);
            String t = s3.group(2);
            return LocalDateTime.of(
                            Integer.parseInt(d.substring(0, 4)),
                            Integer.parseInt(d.substring(4, 6)),
                            Integer.parseInt(d.substring(6, 8)),
                            Integer.parseInt(t.substring(0, 2)),
                            Integer.parseInt(t.substring(2, 4)))
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        }
        Matcher fh = FIREHOSE_TIME.matcher(name);
        if (fh.find()) {
            return LocalDateTime.of(
                            Integer.parseInt(fh.group(1)),
                            Integer.parseInt(fh.group(2)),
                            Integer.parseInt(fh.group(3)),
                            Integer.parseInt(fh.group(4)),
                            Integer.parseInt(fh.group(5)),
                            Integer.parseInt(fh.group(6)))
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        }
        return fallback;
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
