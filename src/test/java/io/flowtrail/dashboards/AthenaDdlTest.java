package io.flowtrail.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.sink.ParquetTable;
import io.flowtrail.sink.Tables;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Athena DDL under {@code dashboards/athena/} declares, for every table the writers produce,
 * the columns the writers write (same names, same order, types mapped from the Parquet schema),
 * partitioned by projection on {@code dt} (a date) and {@code hr} (0-23), as Parquet.
 */
class AthenaDdlTest {
    /**
     * {@code kms_usage} before its writer lands: the columns of DESIGN.md, with the types the DDL
     * assumes. Once {@link Tables} has the table, the writer's schema is used instead.
     */
    static final Map<String, String> KMS_USAGE_DESIGN = new LinkedHashMap<>();

    static {
        KMS_USAGE_DESIGN.put("window_start", "timestamp");
        KMS_USAGE_DESIGN.put("window_end", "timestamp");
        KMS_USAGE_DESIGN.put("account_id", "string");
        KMS_USAGE_DESIGN.put("region", "string");
        KMS_USAGE_DESIGN.put("key_arn", "string");
        KMS_USAGE_DESIGN.put("principal_arn", "string");
        KMS_USAGE_DESIGN.put("event_name", "string");
        KMS_USAGE_DESIGN.put("calls", "bigint");
        KMS_USAGE_DESIGN.put("errors", "bigint");
        KMS_USAGE_DESIGN.put("distinct_source_ips", "bigint");
        KMS_USAGE_DESIGN.put("via_vpc_endpoint", "bigint");
    }

    /** Every table of {@link Tables}, by name: the writers' schemas. */
    static Map<String, MessageType> writerTables() throws IllegalAccessException {
        Map<String, MessageType> tables = new TreeMap<>();
        for (Field f : Tables.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ParquetTable.class.equals(f.getType())) {
                ParquetTable<?> t = (ParquetTable<?>) f.get(null);
                tables.put(t.name(), t.schema());
            }
        }
        return tables;
    }

    /** The Athena types of a Parquet schema's columns, in order. */
    static Map<String, String> athenaColumns(MessageType schema) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Type field : schema.getFields()) {
            columns.put(field.getName(), athenaType(field.asPrimitiveType()));
        }
        return columns;
    }

    static String athenaType(PrimitiveType t) {
        LogicalTypeAnnotation logical = t.getLogicalTypeAnnotation();
        switch (t.getPrimitiveTypeName()) {
            case BINARY:
                assertThat(logical).as(t.getName()).isEqualTo(LogicalTypeAnnotation.stringType());
                return "string";
            case INT64:
                if (logical instanceof TimestampLogicalTypeAnnotation) {
                    TimestampLogicalTypeAnnotation ts = (TimestampLogicalTypeAnnotation) logical;
                    // Athena reads TIMESTAMP(MILLIS, UTC) as timestamp; other units would need
                    // a look at Athena's Parquet timestamp rules first.
                    assertThat(ts.getUnit())
                            .as(t.getName())
                            .isEqualTo(LogicalTypeAnnotation.TimeUnit.MILLIS);
                    assertThat(ts.isAdjustedToUTC()).as(t.getName()).isTrue();
                    return "timestamp";
                }
                assertThat(logical).as(t.getName()).isNull();
                return "bigint";
            case INT32:
                assertThat(logical).as(t.getName()).isNull();
                return "int";
            case DOUBLE:
                return "double";
            case BOOLEAN:
                return "boolean";
            default:
                throw new AssertionError(t + ": no Athena type mapped for it yet");
        }
    }

    /** One parsed {@code CREATE EXTERNAL TABLE}. */
    record Ddl(
            String database,
            String table,
            Map<String, String> columns,
            Map<String, String> partitions,
            String storedAs,
            String location,
            Map<String, String> properties) {}

    private static final Pattern CREATE =
            Pattern.compile(
                    "(?is)^CREATE\\s+EXTERNAL\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+(\\w+)\\.(\\w+)\\s*\\(");
    private static final Pattern COLUMN = Pattern.compile("(?s)^`(\\w+)`\\s+(\\w+)$");
    private static final Pattern PROPERTY = Pattern.compile("'([^']*)'\\s*=\\s*'([^']*)'");

    static Ddl parse(String sql) {
        List<String> statements = SqlScript.statements(sql);
        assertThat(statements).as("one statement per file").hasSize(1);
        String s = statements.get(0);
        Matcher m = CREATE.matcher(s);
        assertThat(m.find()).as("CREATE EXTERNAL TABLE IF NOT EXISTS db.table (: %s", s).isTrue();
        int[] end = new int[1];
        Map<String, String> columns = columnList(s, m.end(), end);
        String rest = s.substring(end[0]).strip();
        Matcher p =
                Pattern.compile(
                                "(?is)^PARTITIONED\\s+BY\\s*\\((.*?)\\)\\s*STORED\\s+AS\\s+(\\w+)"
                                        + "\\s+LOCATION\\s+'([^']*)'\\s+TBLPROPERTIES\\s*\\((.*)\\)$")
                        .matcher(rest);
        assertThat(p.find())
                .as("PARTITIONED BY, STORED AS, LOCATION, TBLPROPERTIES: %s", rest)
                .isTrue();
        Map<String, String> partitions = columnList("(" + p.group(1) + ")", 1, new int[1]);
        Map<String, String> properties = new LinkedHashMap<>();
        Matcher prop = PROPERTY.matcher(p.group(4));
        while (prop.find()) {
            properties.put(prop.group(1), prop.group(2));
        }
        return new Ddl(
                m.group(1), m.group(2), columns, partitions, p.group(2), p.group(3), properties);
    }

    /** {@code `name` type, ...} from just after an opening parenthesis to its closing one. */
    private static Map<String, String> columnList(String s, int from, int[] end) {
        int depth = 1;
        int i = from;
        while (depth > 0) {
            char c = s.charAt(i++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        end[0] = i;
        Map<String, String> columns = new LinkedHashMap<>();
        for (String part : s.substring(from, i - 1).split(",")) {
            Matcher c = COLUMN.matcher(part.strip());
            assertThat(c.matches()).as("`column` type: '%s'", part.strip()).isTrue();
            assertThat(columns.put(c.group(1), c.group(2).toLowerCase()))
                    .as("column %s declared twice", c.group(1))
                    .isNull();
        }
        return columns;
    }

    static Map<String, Map<String, String>> expectedColumns() throws IllegalAccessException {
        Map<String, Map<String, String>> expected = new TreeMap<>();
        writerTables().forEach((name, schema) -> expected.put(name, athenaColumns(schema)));
        expected.putIfAbsent("kms_usage", KMS_USAGE_DESIGN);
        return expected;
    }

    @Test
    void thereIsOneDdlFilePerTableAndNoOther() throws Exception {
        List<String> files = new ArrayList<>();
        for (Path f : SqlScript.files(SqlScript.ATHENA)) {
            files.add(f.getFileName().toString().replaceFirst("\\.sql$", ""));
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(expectedColumns().keySet());
        assertThat(writerTables().keySet())
                .as("the tables the writers produce today")
                .contains("flow_summary", "rejects", "dead_letters", "alerts");
    }

    @TestFactory
    Stream<DynamicTest> eachDdlDeclaresTheWritersColumnsWithProjectedPartitions() throws Exception {
        Map<String, Map<String, String>> expected = expectedColumns();
        return expected.entrySet().stream()
                .map(
                        e ->
                                DynamicTest.dynamicTest(
                                        e.getKey(), () -> checkDdl(e.getKey(), e.getValue())));
    }

    private static void checkDdl(String table, Map<String, String> columns) {
        String sql = SqlScript.read(SqlScript.ATHENA.resolve(table + ".sql"));
        Ddl ddl = parse(sql);
        assertThat(ddl.table()).isEqualTo(table);
        assertThat(ddl.database()).isEqualTo("flowtrail");
        assertThat(ddl.columns()).containsExactlyEntriesOf(columns);
        assertThat(ddl.partitions())
                .containsExactly(Map.entry("dt", "string"), Map.entry("hr", "int"));
        assertThat(ddl.storedAs()).isEqualToIgnoringCase("PARQUET");
        String location = "s3://EXAMPLE-BUCKET/flowtrail-out/" + table + "/";
        assertThat(ddl.location()).isEqualTo(location);
        assertThat(ddl.properties())
                .containsEntry("projection.enabled", "true")
                .containsEntry("projection.dt.type", "date")
                .containsEntry("projection.dt.format", "yyyy-MM-dd")
                .containsEntry("projection.dt.interval", "1")
                .containsEntry("projection.dt.interval.unit", "DAYS")
                .containsEntry("projection.hr.type", "integer")
                .containsEntry("projection.hr.range", "0,23")
                .containsEntry("projection.hr.digits", "2")
                // The folders the writers make: dt=YYYY-MM-DD/hr=HH (DashboardQueriesITCase
                // checks them on a replay).
                .containsEntry("storage.location.template", location + "dt=${dt}/hr=${hr}/");
        assertThat(ddl.properties().get("projection.dt.range")).matches("\\d{4}-\\d{2}-\\d{2},NOW");
        assertThat(SqlScript.withoutComments(sql).toUpperCase()).doesNotContain("MSCK");
    }

    @Test
    void theParserRejectsAColumnWithTheWrongTypeOrName() {
        String good = SqlScript.read(SqlScript.ATHENA.resolve("dead_letters.sql"));
        Ddl ddl = parse(good);
        assertThat(ddl.columns())
                .containsExactly(
                        Map.entry("source", "string"),
                        Map.entry("location", "string"),
                        Map.entry("reason", "string"),
                        Map.entry("raw", "string"),
                        Map.entry("seen_at", "timestamp"));
        Ddl changed =
                parse(
                        good.replace("`seen_at`", "`seen`")
                                .replaceFirst("(`raw`\\s+)string", "$1int"));
        assertThat(changed.columns())
                .containsEntry("raw", "int")
                .containsEntry("seen", "timestamp")
                .doesNotContainKey("seen_at");
    }
}
