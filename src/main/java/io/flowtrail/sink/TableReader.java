package io.flowtrail.sink;

import io.flowtrail.model.Alert;
import io.flowtrail.parse.ParquetFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Reads a table of an output folder back (every Parquet file under {@code OUT/table}), with
 * parquet-hadoop's reader, which the jar already carries for Parquet flow-log input: no second
 * Parquet reader (DuckDB's would add about 80 MB to the jar).
 */
public final class TableReader {
    private TableReader() {}

    /** The alerts of an output folder, in file order. */
    public static List<Alert> alerts(Path outDir) throws IOException {
        List<Alert> alerts = new ArrayList<>();
        for (Group g : rows(outDir.resolve("alerts"))) {
            Alert a = new Alert();
            a.alertId = text(g, "alert_id");
            a.category = text(g, "category");
            a.detector = text(g, "detector");
            a.severity = text(g, "severity");
            a.windowStart = number(g, "window_start", 0);
            a.windowEnd = number(g, "window_end", 0);
            a.accountId = text(g, "account_id");
            a.region = text(g, "region");
            a.interfaceId = text(g, "interface_id");
            a.srcAddr = text(g, "src_addr");
            a.dstAddr = text(g, "dst_addr");
            a.dstPort = (int) number(g, "dst_port", Alert.NO_PORT);
            a.principalArn = text(g, "principal_arn");
            a.keyArn = text(g, "key_arn");
            a.observed = real(g, "observed");
            a.expected = real(g, "expected");
            a.title = text(g, "title");
            a.evidence = text(g, "evidence");
            alerts.add(a);
        }
        return alerts;
    }

    /** Every row of every Parquet file under a folder, as Parquet's example groups. */
    public static List<Group> rows(Path tableDir) throws IOException {
        List<Group> rows = new ArrayList<>();
        if (!Files.isDirectory(tableDir)) {
            return rows;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tableDir)) {
            files =
                    walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .sorted()
                            .toList();
        }
        for (Path f : files) {
            try (ParquetFileReader reader = ParquetFiles.open(new LocalInputFile(f))) {
                MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
                PageReadStore pages;
                while ((pages = reader.readNextRowGroup()) != null) {
                    RecordReader<Group> rr =
                            io.getRecordReader(pages, new GroupRecordConverter(schema));
                    for (long i = 0; i < pages.getRowCount(); i++) {
                        rows.add(rr.read());
                    }
                }
            }
        }
        return rows;
    }

    public static String text(Group g, String column) {
        return has(g, column) ? g.getString(column, 0) : null;
    }

    public static long number(Group g, String column, long absent) {
        if (!has(g, column)) {
            return absent;
        }
        try {
            return g.getLong(column, 0);
        } catch (ClassCastException e) {
            return g.getInteger(column, 0);
        }
    }

    public static double real(Group g, String column) {
        return has(g, column) ? g.getDouble(column, 0) : Double.NaN;
    }

    private static boolean has(Group g, String column) {
        return g.getType().containsField(column) && g.getFieldRepetitionCount(column) > 0;
    }
}
