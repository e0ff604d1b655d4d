package io.flowtrail.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlowSummaryCombinerTest {
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    static final long WINDOW = Duration.ofMinutes(5).toMillis();
    static final long BOUND = Duration.ofMinutes(15).toMillis();
    static final OutputTag<FlowRecord> LATE =
            new OutputTag<>("late", TypeInformation.of(FlowRecord.class));

    OneInputStreamOperatorTestHarness<FlowRecord, PartialSummary> harness;

    @BeforeEach
    void open() throws Exception {
        open(100);
    }

    void open(int maxOpenRows) throws Exception {
        open(maxOpenRows, true);
    }

    void open(int maxOpenRows, boolean rejects) throws Exception {
        harness =
                new OneInputStreamOperatorTestHarness<>(
                        new FlowSummaryCombiner(WINDOW, BOUND, maxOpenRows, LATE, rejects));
        harness.open();
    }

    static FlowRecord flow(String eni, Instant start, long src, int dstPort, long bytes) {
        FlowRecord r = new FlowRecord();
        r.interfaceId = eni;
        r.accountId = "111122223333";
        r.start = start.getEpochSecond();
        r.end = r.start + 10;
        r.srcFamily = IpAddresses.V4;
        r.srcLo = src;
        r.dstFamily = IpAddresses.V4;
        r.dstLo = 0x0a14000a;
        r.dstPort = dstPort;
        r.protocol = 6;
        r.packets = 1;
        r.bytes = bytes;
        r.action = FlowRecord.ACTION_ACCEPT;
        r.logStatus = FlowRecord.STATUS_OK;
        r.origin = "test:";
        return r;
    }

    void process(FlowRecord r) throws Exception {
        harness.processElement(r, r.startMillis());
    }

    @Test
    void holdsAWindowUntilTheWatermarkPassesItsEnd() throws Exception {
        process(flow("eni-a", T0, 1, 443, 100));
        process(flow("eni-a", T0.plusSeconds(60), 2, 443, 50));
        process(flow("eni-a", T0.plusSeconds(300), 3, 443, 7)); // next window
        harness.processWatermark(T0.plusSeconds(299).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(T0.plusSeconds(300).toEpochMilli() - 1);
        List<PartialSummary> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key.windowStart).isEqualTo(T0.toEpochMilli());
        assertThat(out.get(0).totals.flows).isEqualTo(2);
        assertThat(out.get(0).totals.bytes).isEqualTo(150);
        assertThat(out.get(0).totals.srcAddrs.count()).isEqualTo(2);
    }

    @Test
    void emitsAWindowsPartialBeforeTheWatermarkThatClosesIt() throws Exception {
        process(flow("eni-a", T0, 1, 443, 100));
        harness.processWatermark(T0.plusSeconds(300).toEpochMilli());
        List<Object> out = List.copyOf(harness.getOutput());
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(StreamRecord.class);
        assertThat(out.get(1))
                .isInstanceOf(org.apache.flink.streaming.api.watermark.Watermark.class);
    }

    @Test
    void aRecordForAClosedWindowGoesToTheLateOutput() throws Exception {
        harness.processWatermark(T0.plusSeconds(600).toEpochMilli());
        FlowRecord late = flow("eni-a", T0.plusSeconds(10), 1, 443, 100);
        process(late);
        harness.endInput();
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(LATE))
                .extracting(StreamRecord::getValue)
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(late);
    }

    @Test
    void endOfInputEmitsEverything() throws Exception {
        process(flow("eni-a", T0, 1, 443, 100));
        process(flow("eni-b", T0.plusSeconds(900), 1, 22, 5));
        harness.endInput();
        assertThat(harness.extractOutputValues())
                .extracting(p -> p.key.interfaceId)
                .containsExactlyInAnyOrder("eni-a", "eni-b");
    }

    @Test
    void aCheckpointBarrierFlushesSoNothingIsHeldInState() throws Exception {
        process(flow("eni-a", T0, 1, 443, 100));
        harness.prepareSnapshotPreBarrier(1);
        assertThat(harness.extractOutputValues()).hasSize(1);
        process(flow("eni-a", T0.plusSeconds(5), 1, 443, 100));
        harness.endInput();
        // Two partials of the same row: the downstream window merges them.
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void tooManyOpenRowsAreEmittedEarlyAndNothingIsLost() throws Exception {
        harness.close();
        open(2);
        for (int i = 0; i < 5; i++) {
            process(flow("eni-" + i, T0, 1, 443, 10));
        }
        harness.endInput();
        List<PartialSummary> out = harness.extractOutputValues();
        assertThat(out).hasSize(5);
        assertThat(out.stream().mapToLong(p -> p.totals.flows).sum()).isEqualTo(5);
    }

    @Test
    void emitsAWindowOnceItsOwnRecordsStartMoreThanTheBoundAfterItsEnd() throws Exception {
        process(flow("eni-a", T0, 1, 443, 100));
        // 19:59 after the window's start: its end plus the bound is not passed yet.
        process(flow("eni-b", T0.plusSeconds(19 * 60 + 59), 1, 443, 1));
        assertThat(harness.extractOutputValues()).isEmpty();

        process(flow("eni-c", T0.plusSeconds(20 * 60), 1, 443, 1));
        List<PartialSummary> out = harness.extractOutputValues();
        assertThat(out).extracting(p -> p.key.interfaceId).containsExactly("eni-a");
        assertThat(out.get(0).totals.bytes).isEqualTo(100);
    }

    @Test
    void aRecordForAWindowAlreadyEmittedEarlyOpensANewPartialAndIsNotLate() throws Exception {
        process(flow("eni-a", T0, 1, 443, 100));
        process(flow("eni-b", T0.plusSeconds(20 * 60), 1, 443, 1));
        process(flow("eni-a", T0.plusSeconds(30), 2, 443, 50)); // within the bound: on time
        harness.endInput();
        assertThat(harness.getSideOutput(LATE)).isNullOrEmpty();
        List<PartialSummary> eniA =
                harness.extractOutputValues().stream()
                        .filter(p -> p.key.interfaceId.equals("eni-a"))
                        .toList();
        assertThat(eniA).extracting(p -> p.totals.bytes).containsExactly(100L, 50L);
        assertThat(eniA).extracting(p -> p.key.windowStart).containsOnly(T0.toEpochMilli());
    }

    @Test
    void manyKeysGrowTheTableAndEachKeyAndWindowKeepsItsOwnTotals() throws Exception {
        open(100_000);
        // 3,000 interfaces x 3 windows, each (interface, window) with (i % 7) + 1 flows, records
        // interleaved across keys; the three windows are emitted when a later record's progress
        // passes them, that record's own window at the end.
        for (int w = 0; w < 3; w++) {
            for (int n = 0; n < 7; n++) {
                for (int i = 0; i < 3_000; i++) {
                    if (n <= i % 7) {
                        process(flow("eni-" + i, T0.plusSeconds(300L * w + n), i, 443, 1));
                    }
                }
            }
        }
        process(flow("eni-late-progress", T0.plusSeconds(3600), 1, 443, 1));
        harness.endInput();
        java.util.Map<String, Long> flows = new java.util.HashMap<>();
        for (PartialSummary p : harness.extractOutputValues()) {
            flows.merge(p.key.interfaceId + "@" + p.key.windowStart, p.totals.flows, Long::sum);
        }
        assertThat(flows).hasSize(3 * 3_000 + 1);
        for (int w = 0; w < 3; w++) {
            for (int i = 0; i < 3_000; i++) {
                long start = T0.plusSeconds(300L * w).toEpochMilli();
                assertThat(flows.get("eni-" + i + "@" + start)).isEqualTo(i % 7 + 1L);
            }
        }
        // One partial per key and window: nothing was emitted twice or split.
        assertThat(harness.extractOutputValues()).hasSize(3 * 3_000 + 1);
    }

    @Test
    void aRejectedFlowAddsToItsFlowSummaryRowAndToARejectsRow() throws Exception {
        FlowRecord rejected = flow("eni-a", T0, 1, 22, 40);
        rejected.action = FlowRecord.ACTION_REJECT;
        process(rejected);
        harness.endInput();
        assertThat(harness.extractOutputValues())
                .extracting(p -> p.key.table, p -> p.key.dstPort, p -> p.totals.flows)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(SummaryKey.FLOW_SUMMARY, -1, 1L),
                        org.assertj.core.groups.Tuple.tuple(SummaryKey.REJECTS, 22, 1L));
    }

    @Test
    void withTheRejectsTableOffARejectedFlowAddsToItsFlowSummaryRowOnly() throws Exception {
        harness.close();
        open(100, false);
        FlowRecord rejected = flow("eni-a", T0, 1, 22, 40);
        rejected.action = FlowRecord.ACTION_REJECT;
        process(rejected);
        process(flow("eni-a", T0.plusSeconds(1), 2, 443, 60));
        harness.endInput();
        assertThat(harness.extractOutputValues())
                .extracting(p -> p.key.table, p -> p.key.action, p -> p.totals.flows)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                SummaryKey.FLOW_SUMMARY, FlowRecord.ACTION_REJECT, 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                SummaryKey.FLOW_SUMMARY, FlowRecord.ACTION_ACCEPT, 1L));
    }

    /**
     * One open row at most: a REJECT's rejects row makes its flow_summary row leave at once, and a
     * straggler for a window that already left opens a new row; every flow is in exactly one
     * partial of each table, and the open-row count never lets a row through twice.
     */
    @Test
    void withOneOpenRowEveryFlowStillReachesBothTablesOnce() throws Exception {
        harness.close();
        open(1);
        long rejects = 0;
        for (int i = 0; i < 50; i++) {
            FlowRecord r = flow("eni-" + (i % 3), T0.plusSeconds(i * 17L), i, 22, 1);
            if (i % 2 == 0) {
                r.action = FlowRecord.ACTION_REJECT;
                rejects++;
            }
            process(r);
        }
        process(flow("eni-0", T0.plusSeconds(5), 99, 22, 1)); // back in the first window
        harness.endInput();
        List<PartialSummary> out = harness.extractOutputValues();
        assertThat(
                        out.stream()
                                .filter(p -> p.key.table == SummaryKey.FLOW_SUMMARY)
                                .mapToLong(p -> p.totals.flows)
                                .sum())
                .isEqualTo(51);
        assertThat(
                        out.stream()
                                .filter(p -> p.key.table == SummaryKey.REJECTS)
                                .mapToLong(p -> p.totals.flows)
                                .sum())
                .isEqualTo(rejects);
        assertThat(out.stream().filter(p -> p.totals.flows == 0)).isEmpty();
    }
}
