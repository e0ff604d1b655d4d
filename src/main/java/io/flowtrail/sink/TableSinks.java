package io.flowtrail.sink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet file sinks for the output tables: one folder per table under the output folder,
 * Hive-style {@code dt=YYYY-MM-DD/hr=HH} partitions (UTC), files committed exactly once (at the end
 * of a batch run, on checkpoints in streaming).
 */
public final class TableSinks {
    private TableSinks() {}

    public static <T> FileSink<T> parquet(
            ParquetTable<T> table,
            String outDir,
            CompressionCodecName codec,
            ParquetTable.Int64<T> partitionTimeMillis) {
        ParquetWriterFactory<T> writers =
                new ParquetWriterFactory<>(out -> table.writer(out, codec));
        return FileSink.forBulkFormat(new Path(outDir, table.name()), writers)
                .withBucketAssigner(new HivePartitions<>(partitionTimeMillis))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("part")
                                .withPartSuffix(".parquet")
                                .build())
                .build();
    }

    /** The partition folder of a time: {@code dt=2026-11-02/hr=10}. */
    public static String partition(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return String.format(
                "dt=%04d-%02d-%02d/hr=%02d",
                t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }

    private static final class HivePartitions<T> implements BucketAssigner<T, String> {
        private static final long serialVersionUID = 1L;
        private static final long HOUR_MILLIS = 3_600_000L;
        private final ParquetTable.Int64<T> time;

        // Rows mostly arrive hour after hour: the last hour's folder name is reused, not formatted
        // again.
        private transient long hour = Long.MIN_VALUE;
        private transient String folder;

        HivePartitions(ParquetTable.Int64<T> time) {
            this.time = time;
        }

        @Override
        public String getBucketId(T row, Context context) {
            long millis = time.get(row);
            long h = Math.floorDiv(millis, HOUR_MILLIS);
            if (h != hour || folder == null) {
                folder = partition(millis);
                hour = h;
            }
            return folder;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
