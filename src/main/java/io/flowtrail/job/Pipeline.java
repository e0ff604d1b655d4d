package io.flowtrail.job;

import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.FlowSummaryRow;
import io.flowtrail.summary.FlowSummaryAggregate;
import io.flowtrail.summary.FlowSummaryWindowFunction;
import io.flowtrail.summary.SummaryKey;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * Wires Flowtrail's operators: streams in, streams out. Sources and sinks are the caller's (the
 * replay and stream jobs, and tests), so the same operators serve every mode.
 */
public final class Pipeline {
    private Pipeline() {}

    /** What the pipeline produces, one stream per output table. */
    public static final class Outputs {
        public final DataStream<FlowSummaryRow> flowSummary;
        public final DataStream<DeadLetter> deadLetters;

        Outputs(DataStream<FlowSummaryRow> flowSummary, DataStream<DeadLetter> deadLetters) {
            this.flowSummary = flowSummary;
            this.deadLetters = deadLetters;
        }
    }

    static final OutputTag<FlowRecord> LATE =
            new OutputTag<>("late-flow-records", TypeInformation.of(FlowRecord.class));

    /**
     * Event time of flow records: their {@code start}, bounded out of order, idle splits ignored.
     */
    public static WatermarkStrategy<FlowRecord> flowWatermarks(JobSpec spec) {
        WatermarkStrategy<FlowRecord> strategy =
                WatermarkStrategy.<FlowRecord>forBoundedOutOfOrderness(spec.maxOutOfOrderness())
                        .withTimestampAssigner(
                                (r, previous) ->
                                        r.deadLetter != null ? Long.MIN_VALUE : r.startMillis());
        return spec.idleness().isZero() ? strategy : strategy.withIdleness(spec.idleness());
    }

    /**
     * @param flowRecords flow records with event time and watermarks assigned (see {@link
     *     #flowWatermarks}), dead letters from parsing included
     */
    public static Outputs build(DataStream<FlowRecord> flowRecords, JobSpec spec) {
        SingleOutputStreamOperator<FlowRecord> traffic =
                flowRecords
                        .process(new FlowRecordRouter())
                        .name("route flow records")
                        .uid("flow-router");

        SingleOutputStreamOperator<FlowSummaryRow> summary =
                traffic.keyBy(new SummaryKeySelector())
                        .window(TumblingEventTimeWindows.of(spec.window()))
                        .sideOutputLateData(LATE)
                        .aggregate(new FlowSummaryAggregate(), new FlowSummaryWindowFunction())
                        .name("flow_summary windows")
                        .uid("flow-summary-window");

        DataStream<DeadLetter> late =
                summary.getSideOutput(LATE)
                        .map(new LateRecords(spec.window().toMillis()))
                        .name("late flow records")
                        .uid("flow-late");

        DataStream<DeadLetter> deadLetters =
                traffic.getSideOutput(FlowRecordRouter.DEAD_LETTERS).union(late);

        return new Outputs(summary, deadLetters);
    }

    /** Key of the flow_summary windows. */
    public static final class SummaryKeySelector implements KeySelector<FlowRecord, SummaryKey> {
        @Override
        public SummaryKey getKey(FlowRecord r) {
            return SummaryKey.of(r);
        }
    }

    /**
     * A record whose window had closed when it arrived becomes a dead letter, reason {@code late}.
     */
    static final class LateRecords
            extends org.apache.flink.api.common.functions.RichMapFunction<FlowRecord, DeadLetter> {
        private final long windowMillis;
        private transient org.apache.flink.api.common.accumulators.LongCounter late;

        LateRecords(long windowMillis) {
            this.windowMillis = windowMillis;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
            late = new org.apache.flink.api.common.accumulators.LongCounter();
            getRuntimeContext().addAccumulator(RunCounters.LATE, late);
        }

        @Override
        public DeadLetter map(FlowRecord r) {
            late.add(1);
            long windowStart = r.startMillis() - Math.floorMod(r.startMillis(), windowMillis);
            return new DeadLetter(
                    "flow-log",
                    r.location(),
                    "late: its window "
                            + Instant.ofEpochMilli(windowStart)
                            + " had closed (the watermark passed it; raise"
                            + " flow-logs.max-out-of-orderness to accept it)",
                    "start=" + r.start + " interface-id=" + r.interfaceId,
                    r.startMillis(),
                    System.currentTimeMillis());
        }
    }
}
