import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The "plain Flink" reference, what Flowtrail's replay is compared with: the flow-log
 * files as text lines, {@code String.split}, a string key of five-minute window, interface, action
 * and protocol, {@code keyBy}, a count by {@code reduce}, the results discarded; batch execution,
 * parallelism 2, Flink's and the JVM's defaults. bench/plain-flink.sh compiles and runs it:
 * {@code java -cp target/flowtrail.jar:target/bench PlainFlink DIR/flow-logs}. Prints the seconds
 * the job took.
 */
public final class PlainFlink {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PlainFlink FLOW_LOG_DIR");
            System.exit(2);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        FileSource<String> lines =
                FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(args[0]))
                        .build();
        env.fromSource(lines, WatermarkStrategy.noWatermarks(), "flow-log lines")
                .filter(l -> !l.startsWith("version"))
                .map(
                        l -> {
                            String[] f = l.split(" ");
                            long window = Long.parseLong(f[10]) / 300 * 300;
                            return Tuple2.of(window + " " + f[2] + " " + f[12] + " " + f[7], 1L);
                        })
                .returns(Types.TUPLE(Types.STRING, Types.LONG))
                .keyBy(t -> t.f0)
                .reduce((a, b) -> Tuple2.of(a.f0, a.f1 + b.f1))
                .sinkTo(new DiscardingSink<>());
        long started = System.nanoTime();
        env.execute("plain flink");
        System.out.printf("plain flink: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
}
