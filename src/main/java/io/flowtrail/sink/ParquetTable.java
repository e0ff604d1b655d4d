package io.flowtrail.sink;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * A Flowtrail output table: its name and its columns, each with a typed getter, written to Parquet
 * with a small {@link WriteSupport} of our own (no Avro, no reflection per row). Strings are UTF-8
 * ({@code STRING}), times are {@code TIMESTAMP(MILLIS, UTC)}. Every column is optional: a getter's
 * "null" (null text, a sentinel number) becomes a Parquet null.
 *
 * <p>The column list is the contract the README documents; {@code ParquetTableTest} reads the
 * schema back with DuckDB.
 */
public final class ParquetTable<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A getter that can travel with the job graph. */
    public interface Text<T> extends Serializable {
        String get(T row);
    }

    /** A long getter. */
    public interface Int64<T> extends Serializable {
        long get(T row);
    }

    /** A double getter; NaN is null. */
    public interface Float64<T> extends Serializable {
        double get(T row);
    }

    private enum Kind {
        STRING,
        INT64,
        INT32,
        TIMESTAMP,
        DOUBLE
    }

    private static final class Column<T> implements Serializable {
        final String name;
        final Kind kind;
        final Text<T> text;
        final Int64<T> number;
        final long nullValue;
        final boolean nullable;
        final Float64<T> real;

        Column(
                String name,
                Kind kind,
                Text<T> text,
                Int64<T> number,
                long nullValue,
                boolean nullable,
                Float64<T> real) {
            this.name = name;
            this.kind = kind;
            this.text = text;
            this.number = number;
            this.nullValue = nullValue;
            this.nullable = nullable;
            this.real = real;
        }
    }

    private final String name;
    private final List<Column<T>> columns;

    private ParquetTable(String name, List<Column<T>> columns) {
        this.name = name;
        this.columns = Collections.unmodifiableList(columns);
    }

    public static <T> Builder<T> named(String name) {
        return new Builder<>(name);
    }

    public String name() {
        return name;
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        for (Column<T> c : columns) {
            names.add(c.name);
        }
        return names;
    }

    public MessageType schema() {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (Column<T> c : columns) {
            Type type;
            switch (c.kind) {
                case STRING:
                    type =
                            Types.optional(PrimitiveTypeName.BINARY)
                                    .as(LogicalTypeAnnotation.stringType())
                                    .named(c.name);
                    break;
                case INT64:
                    type = Types.optional(PrimitiveTypeName.INT64).named(c.name);
                    break;
                case INT32:
                    type = Types.optional(PrimitiveTypeName.INT32).named(c.name);
                    break;
                case TIMESTAMP:
                    type =
                            Types.optional(PrimitiveTypeName.INT64)
                                    .as(
                                            LogicalTypeAnnotation.timestampType(
                                                    true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                                    .named(c.name);
                    break;
                case DOUBLE:
                default:
                    type = Types.optional(PrimitiveTypeName.DOUBLE).named(c.name);
                    break;
            }
            b.addField(type);
        }
        return b.named(name);
    }

    /** A Parquet writer of this table's rows to {@code file}. */
    public ParquetWriter<T> writer(OutputFile file, CompressionCodecName codec) throws IOException {
        WriterBuilder<T> b = new WriterBuilder<>(file, this).withCompressionCodec(codec);
        for (Column<T> c : columns) {
            // Counts and sums hardly repeat: a dictionary would only be built to be dropped.
            if (c.kind == Kind.INT64) {
                b.withDictionaryEncoding(c.name, false);
            }
        }
        return b.build();
    }

    /**
     * The UTF-8 form of a writer's string values, one cache per column. Rows repeat accounts, VPCs,
     * directions and interfaces, and the column's dictionary looks every value up: handed the same
     * {@link Binary} it stored, its lookup compares by identity instead of byte by byte (the hash
     * is still computed), and the value is not encoded again. Parquet keeps such a Binary in its
     * dictionary and statistics as it is and never changes its bytes. A column that shows more than
     * {@link #DISTINCT} distinct values in one file (evidence, titles, or a very large account's
     * interfaces) stops caching, to bound the memory: only the speed-up is lost.
     */
    static final class Utf8Cache {
        static final int DISTINCT = 1 << 12;
        private final String[] lastText;
        private final Binary[] lastBinary;
        private final Map<String, Binary>[] seen;

        @SuppressWarnings("unchecked")
        Utf8Cache(int columns) {
            lastText = new String[columns];
            lastBinary = new Binary[columns];
            seen = new Map[columns];
            for (int i = 0; i < columns; i++) {
                seen[i] = new HashMap<>();
            }
        }

        Binary of(int column, String v) {
            if (v.equals(lastText[column])) {
                return lastBinary[column];
            }
            Map<String, Binary> known = seen[column];
            Binary b = known == null ? null : known.get(v);
            if (b == null) {
                b = Binary.fromConstantByteArray(v.getBytes(StandardCharsets.UTF_8));
                if (known != null) {
                    if (known.size() < DISTINCT) {
                        known.put(v, b);
                    } else {
                        seen[column] = null;
                    }
                }
            }
            lastText[column] = v;
            lastBinary[column] = b;
            return b;
        }
    }

    /** Writes one row, its strings encoded through the writer's {@code utf8} cache. */
    void write(RecordConsumer rc, T row, Utf8Cache utf8) {
        rc.startMessage();
        for (int i = 0; i < columns.size(); i++) {
            Column<T> c = columns.get(i);
            switch (c.kind) {
                case STRING:
                    {
                        String v = c.text.get(row);
                        if (v != null) {
                            rc.startField(c.name, i);
                            rc.addBinary(utf8.of(i, v));
                            rc.endField(c.name, i);
                        }
                        break;
                    }
                case INT64:
                case TIMESTAMP:
                    {
                        long v = c.number.get(row);
                        if (!c.nullable || v != c.nullValue) {
                            rc.startField(c.name, i);
                            rc.addLong(v);
                            rc.endField(c.name, i);
                        }
                        break;
                    }
                case INT32:
                    {
                        long v = c.number.get(row);
                        if (!c.nullable || v != c.nullValue) {
                            rc.startField(c.name, i);
                            rc.addInteger((int) v);
                            rc.endField(c.name, i);
                        }
                        break;
                    }
                case DOUBLE:
                default:
                    {
                        double v = c.real.get(row);
                        if (!Double.isNaN(v)) {
                            rc.startField(c.name, i);
                            rc.addDouble(v);
                            rc.endField(c.name, i);
                        }
                        break;
                    }
            }
        }
        rc.endMessage();
    }

    /** Declares a table's columns in order. */
    public static final class Builder<T> {
        private final String name;
        private final List<Column<T>> columns = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder<T> string(String column, Text<T> getter) {
            columns.add(new Column<>(column, Kind.STRING, getter, null, 0, true, null));
            return this;
        }

        public Builder<T> int64(String column, Int64<T> getter) {
            columns.add(new Column<>(column, Kind.INT64, null, getter, 0, false, null));
            return this;
        }

        /** An INT32 column that is null when the getter returns {@code nullValue}. */
        public Builder<T> int32(String column, Int64<T> getter, long nullValue) {
            columns.add(new Column<>(column, Kind.INT32, null, getter, nullValue, true, null));
            return this;
        }

        public Builder<T> timestamp(String column, Int64<T> epochMillis) {
            columns.add(new Column<>(column, Kind.TIMESTAMP, null, epochMillis, 0, false, null));
            return this;
        }

        public Builder<T> float64(String column, Float64<T> getter) {
            columns.add(new Column<>(column, Kind.DOUBLE, null, null, 0, true, getter));
            return this;
        }

        public ParquetTable<T> build() {
            return new ParquetTable<>(name, columns);
        }
    }

    private static final class WriterBuilder<T> extends ParquetWriter.Builder<T, WriterBuilder<T>> {
        private final ParquetTable<T> table;

        WriterBuilder(OutputFile file, ParquetTable<T> table) {
            super(file);
            this.table = table;
            // Without Hadoop's default resources: a default Configuration parses core-default.xml
            // for every writer, and a replay opens one per table, hour and task (the profile
            // showed it). Every setting the writer needs is set on this builder.
            withConf(new Configuration(false));
        }

        @Override
        protected WriterBuilder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new RowWriteSupport<>(table);
        }
    }

    private static final class RowWriteSupport<T> extends WriteSupport<T> {
        private final ParquetTable<T> table;
        private final Utf8Cache utf8;
        private RecordConsumer consumer;

        RowWriteSupport(ParquetTable<T> table) {
            this.table = table;
            this.utf8 = new Utf8Cache(table.columns.size());
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(table.schema(), new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(T record) {
            table.write(consumer, record, utf8);
        }
    }
}
