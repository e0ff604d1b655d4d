package io.flowtrail.report;

import io.flowtrail.parse.ParquetFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Streams the rows of one table of an output folder (every committed Parquet file under {@code
 * OUT/table}), reading only the columns asked for, one row at a time: the report sums as it reads
 * and never holds a table in memory.
 *
 * <p>Why parquet-hadoop and not DuckDB: the jar already carries parquet-hadoop (the Parquet sinks
 * and Parquet flow-log input need it), so {@code report} costs the jar nothing, while DuckDB's JDBC
 * driver would add about 80 MB of native libraries to it. The report needs sums and counts in one
 * pass, which do not need a query engine. The price is that the report's arithmetic is Java rather
 * than SQL; {@code ReportPageITCase} checks every plotted total against the same sums computed by
 * DuckDB.
 */
final class ParquetRows {
    private ParquetRows() {}

    /** Whether the output folder has this table (a folder, with or without rows). */
    static boolean exists(Path tableDir) {
        return Files.isDirectory(tableDir);
    }

    /** Every row of the table, with only {@code columns} read (those a file lacks are absent). */
    static void forEach(Path tableDir, List<String> columns, Consumer<Group> row)
            throws IOException {
        for (Path f : files(tableDir)) {
            try (ParquetFileReader reader = ParquetFiles.open(new LocalInputFile(f))) {
                MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
                List<Type> fields = new ArrayList<>();
                for (String c : columns) {
                    if (fileSchema.containsField(c)) {
                        fields.add(fileSchema.getType(c));
                    }
                }
                if (fields.isEmpty()) {
                    continue;
                }
                MessageType requested = new MessageType(fileSchema.getName(), fields);
                reader.setRequestedSchema(requested);
                MessageColumnIO io = new ColumnIOFactory().getColumnIO(requested, fileSchema);
                PageReadStore pages;
                while ((pages = reader.readNextRowGroup()) != null) {
                    RecordReader<Group> rr =
                            io.getRecordReader(pages, new GroupRecordConverter(requested));
                    for (long i = 0; i < pages.getRowCount(); i++) {
                        row.accept(rr.read());
                    }
                }
            }
        }
    }

    /** The number of rows of the table, from the files' footers. */
    static long count(Path tableDir) throws IOException {
        long rows = 0;
        for (Path f : files(tableDir)) {
            try (ParquetFileReader reader = ParquetFiles.open(new LocalInputFile(f))) {
                rows += reader.getRecordCount();
            }
        }
        return rows;
    }

    /**
     * The table's committed files in name order. Hidden files ({@code .part-...inprogress...} of a
     * running stream job, {@code _SUCCESS}-style markers) are not rows yet.
     */
    private static List<Path> files(Path tableDir) throws IOException {
        if (!Files.isDirectory(tableDir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(tableDir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(
                            p -> {
                                String name = p.getFileName().toString();
                                return name.endsWith(".parquet")
                                        && !name.startsWith(".")
                                        && !name.startsWith("_");
                            })
                    .sorted()
                    .toList();
        }
    }
}
