package io.flowtrail.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads Flowtrail's Parquet output back with a real reader: DuckDB, in memory. */
public final class DuckDb implements AutoCloseable {
    private final Connection connection;

    public DuckDb() throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    /** {@code read_parquet} over every file of a table, with its Hive partitions as columns. */
    public static String table(Path out, String table) {
        return "read_parquet('"
                + out.resolve(table).toAbsolutePath()
                + "/**/*.parquet', hive_partitioning = true)";
    }

    /** The {@code columns} of every row of a table under {@code out}, sorted by all of them. */
    public List<List<Object>> sortedRows(Path out, String table, String columns)
            throws SQLException {
        return rows("SELECT " + columns + " FROM " + table(out, table) + " ORDER BY ALL");
    }

    /** Rows as lists of column values, in the query's order. */
    public List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The single value of a one-row, one-column query. */
    public Object value(String sql) throws SQLException {
        List<List<Object>> rows = rows(sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).get(0);
    }

    public long count(String sql) throws SQLException {
        return ((Number) value(sql)).longValue();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
