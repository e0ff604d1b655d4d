package io.flowtrail.summary;

/**
 * The totals of one {@code flow_summary} row as far as one reading task has seen them: what crosses
 * the shuffle instead of the records themselves (about one per key and window per task).
 */
public class PartialSummary {
    public SummaryKey key;
    public FlowSummaryAccumulator totals;

    public PartialSummary() {}

    public PartialSummary(SummaryKey key, FlowSummaryAccumulator totals) {
        this.key = key;
        this.totals = totals;
    }
}
