import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The issue's reference aggregation in DuckDB over JDBC: read the version-2 text flow logs, group
 * by five-minute window, interface, action and protocol (count, sums, count distinct srcaddr),
 * write ZSTD Parquet. bench/run.sh compiles and runs it:
 * {@code java -cp target/bench:DUCKDB_JAR DuckDbReference 'DIR/flow-logs/**\/*.log' OUT.parquet 2}.
 * Prints the rows written, the flows they sum to, and the seconds the query took.
 */
public final class DuckDbReference {
    private static final String COLUMNS =
            "{'version': 'INTEGER', 'account-id': 'VARCHAR', 'interface-id': 'VARCHAR',"
                    + " 'srcaddr': 'VARCHAR', 'dstaddr': 'VARCHAR', 'srcport': 'INTEGER',"
                    + " 'dstport': 'INTEGER', 'protocol': 'INTEGER', 'packets': 'BIGINT',"
                    + " 'bytes': 'BIGINT', 'start': 'BIGINT', 'end': 'BIGINT', 'action': 'VARCHAR',"
                    + " 'log-status': 'VARCHAR'}";

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: DuckDbReference GLOB OUT.parquet THREADS");
            System.exit(2);
        }
        String glob = args[0].replace("'", "''");
        String out = args[1].replace("'", "''");
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("SET threads = " + Integer.parseInt(args[2]));
            s.execute(
                    "COPY (SELECT to_timestamp(\"start\" - \"start\" % 300) AS window_start,"
                            + " \"interface-id\" AS interface_id, action, protocol,"
                            + " count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,"
                            + " count(DISTINCT srcaddr) AS distinct_src_addrs"
                            + " FROM read_csv('" + glob + "', delim = ' ', header = true,"
                            + " nullstr = '-', columns = " + COLUMNS + ")"
                            + " WHERE \"log-status\" = 'OK'"
                            + " GROUP BY ALL)"
                            + " TO '" + out + "' (FORMAT parquet, COMPRESSION zstd)");
            double seconds = (System.nanoTime() - started) / 1e9;
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT count(*), sum(flows) FROM read_parquet('" + out + "')")) {
                rs.next();
                System.out.printf(
                        "duckdb: %d rows, %d flows, query %.2f s%n",
                        rs.getLong(1), rs.getLong(2), seconds);
            }
        }
    }
}
