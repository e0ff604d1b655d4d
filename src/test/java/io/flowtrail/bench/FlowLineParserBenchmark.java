package io.flowtrail.bench;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.FlowLineParser;
import io.flowtrail.parse.FlowLogFormat;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Records per second of the flow-log line parser on version-2 (default format) lines, one thread: a
 * buffer of 10,000 realistic lines (a few hundred interfaces, IPv4 and some IPv6, ACCEPT and
 * REJECT) parsed into typed records. Run with {@code bench/run-jmh.sh FlowLineParserBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FlowLineParserBenchmark {
    static final int LINES = 10_000;

    byte[] buf;
    int[] starts;
    int[] ends;
    FlowLineParser parser;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            long start = 1793613600L + rnd.nextInt(3600);
            String src;
            String dst;
            if (rnd.nextInt(20) == 0) {
                src = "2001:db8:20:10::" + Integer.toHexString(rnd.nextInt(4096));
                dst = "2001:db8:f00d::" + Integer.toHexString(rnd.nextInt(65536));
            } else {
                src = "10.20." + rnd.nextInt(32) + "." + rnd.nextInt(256);
                dst =
                        rnd.nextInt(256)
                                + "."
                                + rnd.nextInt(256)
                                + "."
                                + rnd.nextInt(256)
                                + "."
                                + rnd.nextInt(256);
            }
            sb.append("2 111122223333 eni-0")
                    .append(String.format("%016x", 0x1000 + rnd.nextInt(300)))
                    .append(' ')
                    .append(src)
                    .append(' ')
                    .append(dst)
                    .append(' ')
                    .append(32768 + rnd.nextInt(28000))
                    .append(' ')
                    .append(rnd.nextInt(10) == 0 ? 22 : 443)
                    .append(" 6 ")
                    .append(1 + rnd.nextInt(5000))
                    .append(' ')
                    .append(40 + rnd.nextInt(5_000_000))
                    .append(' ')
                    .append(start)
                    .append(' ')
                    .append(start + rnd.nextInt(60))
                    .append(rnd.nextInt(15) == 0 ? " REJECT OK\n" : " ACCEPT OK\n");
        }
        buf = sb.toString().getBytes(StandardCharsets.US_ASCII);
        starts = new int[LINES];
        ends = new int[LINES];
        int line = 0;
        int from = 0;
        for (int i = 0; i < buf.length; i++) {
            if (buf[i] == '\n') {
                starts[line] = from;
                ends[line] = i;
                line++;
                from = i + 1;
            }
        }
        parser = new FlowLineParser(FlowLogFormat.DEFAULT);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parseVersion2Lines(Blackhole bh) {
        for (int i = 0; i < LINES; i++) {
            FlowRecord r = new FlowRecord();
            String problem = parser.parse(buf, starts[i], ends[i], r);
            bh.consume(problem);
            bh.consume(r);
        }
    }
}
