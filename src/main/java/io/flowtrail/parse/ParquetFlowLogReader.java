package io.flowtrail.parse;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads flow logs delivered to S3 as Parquet: one column per field, named with underscores ({@code
 * log_status}), typed INT32/INT64 or strings. A null or a {@code -} string is an absent value, as
 * in text. Each value goes through the same field reader as text, so the two agree on what is
 * valid. Locations name the row ({@code path:row 17}).
 *
 * <p>Not the hot path: AWS's own Parquet is the rarer delivery, and a row's values are handled as
 * text.
 */
public final class ParquetFlowLogReader implements FlowLogReader {
    private final ParquetFileReader reader;
    private final String location;
    private final String origin;
    private final MessageType schema;
    private final MessageColumnIO columnIO;
    private final FlowLineParser fields;
    private final FlowLogField[] columnFields;
    private final List<String> warnings = new ArrayList<>();
    private final long seenAt = System.currentTimeMillis();

    private RecordReader<Group> rows;
    private long rowsLeft;
    private long row;

    public ParquetFlowLogReader(InputFile file, String location) throws IOException {
        this.reader = ParquetFiles.open(file);
        this.location = location;
        this.origin = location + ":row ";
        this.schema = reader.getFooter().getFileMetaData().getSchema();
        this.columnIO = new ColumnIOFactory().getColumnIO(schema);
        this.fields = new FlowLineParser(FlowLogFormat.DEFAULT);
        this.columnFields = new FlowLogField[schema.getFieldCount()];
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < columnFields.length; i++) {
            Type type = schema.getType(i);
            FlowLogField field = type.isPrimitive() ? FlowLogField.byName(type.getName()) : null;
            columnFields[i] = field == null ? FlowLogField.UNKNOWN : field;
            if (field == null) {
                unknown.add(type.getName());
            }
        }
        if (!unknown.isEmpty()) {
            warnings.add(
                    location
                            + ": Parquet columns this version of Flowtrail does not know are"
                            + " skipped: "
                            + String.join(", ", unknown));
        }
    }

    @Override
    public FlowRecord next() throws IOException {
        while (rowsLeft == 0) {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return null;
            }
            rowsLeft = pages.getRowCount();
            rows = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
        }
        rowsLeft--;
        row++;
        Group g = rows.read();
        FlowRecord r = new FlowRecord();
        for (int i = 0; i < columnFields.length; i++) {
            FlowLogField field = columnFields[i];
            if (field == FlowLogField.UNKNOWN || g.getFieldRepetitionCount(i) == 0) {
                continue;
            }
            byte[] text = text(g, i);
            String problem = fields.field(field, text, 0, text.length, r);
            if (problem != null) {
                String raw = field.wireName() + "=" + new String(text, StandardCharsets.UTF_8);
                return FlowRecord.dead(
                        new DeadLetter(
                                "flow-log",
                                location + ":row " + row,
                                field.wireName() + ": " + problem,
                                raw,
                                -1L,
                                seenAt));
            }
        }
        String problem = FlowLineParser.recordProblem(r);
        if (problem != null) {
            return FlowRecord.dead(
                    new DeadLetter("flow-log", location + ":row " + row, problem, "", -1L, seenAt));
        }
        if (r.isTraffic() && r.start == FlowRecord.ABSENT) {
            return FlowRecord.dead(
                    new DeadLetter(
                            "flow-log",
                            location + ":row " + row,
                            "no start time: the record cannot be placed in a window",
                            "",
                            -1L,
                            seenAt));
        }
        r.origin = origin;
        r.position = row;
        return r;
    }

    private byte[] text(Group g, int i) {
        PrimitiveType type = schema.getType(i).asPrimitiveType();
        switch (type.getPrimitiveTypeName()) {
            case INT32:
                return Integer.toString(g.getInteger(i, 0)).getBytes(StandardCharsets.US_ASCII);
            case INT64:
                return Long.toString(g.getLong(i, 0)).getBytes(StandardCharsets.US_ASCII);
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
                return g.getBinary(i, 0).getBytes();
            default:
                return g.getValueToString(i, 0).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public long controlMessagesSkipped() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
