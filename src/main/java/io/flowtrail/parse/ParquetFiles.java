package io.flowtrail.parse;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;

/** Opens Parquet files for reading: one way, for flow logs, Flowtrail's tables and the report. */
public final class ParquetFiles {
    private ParquetFiles() {}

    /**
     * A reader of {@code file} whose options start from an empty Hadoop {@code Configuration}:
     * Parquet's default options build one with Hadoop's default resources, which parses {@code
     * core-default.xml} for every file opened (a replay reads back one alerts file per hour and
     * task). The codecs need nothing from it.
     */
    public static ParquetFileReader open(InputFile file) throws IOException {
        return ParquetFileReader.open(
                file, HadoopReadOptions.builder(new Configuration(false)).build());
    }
}
