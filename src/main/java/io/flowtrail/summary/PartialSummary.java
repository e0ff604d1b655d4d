package io.flowtrail.summary;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The totals of one {@code flow_summary} (or {@code rejects}) row as far as one reading task has
 * seen them: what crosses the shuffle instead of the records themselves (about one per key and
 * window per task). Downstream it is also the window's accumulator, keyed by {@link
 * SummaryKey#shuffleKey}: rows whose keys share it are chained through {@link #next}, so that a
 * collision never merges two rows. Serialized by {@link PartialSummarySerializer}.
 */
@TypeInfo(PartialSummary.Type.class)
public class PartialSummary {
    public SummaryKey key;
    public FlowSummaryAccumulator totals;

    /** Another row of the same window whose key has the same {@link SummaryKey#shuffleKey}. */
    public PartialSummary next;

    public PartialSummary() {}

    public PartialSummary(SummaryKey key, FlowSummaryAccumulator totals) {
        this.key = key;
        this.totals = totals;
    }

    /**
     * Adds a partial row to the row of its key in this chain, or appends it as a new row. The new
     * row takes {@code p}'s key and totals instead of copies: partial rows come fresh from the
     * shuffle and are not used after they are added (most rows of a window have a single partial,
     * so copying its distinct sets would be most of the merge's work).
     */
    public PartialSummary add(PartialSummary p) {
        if (key == null) {
            key = p.key;
            totals = p.totals;
            return this;
        }
        PartialSummary row = this;
        while (!row.key.equals(p.key)) {
            if (row.next == null) {
                row.next = new PartialSummary().add(p);
                return this;
            }
            row = row.next;
        }
        row.totals.merge(p.totals);
        return this;
    }

    /** Flink's type for partial rows: {@link PartialSummarySerializer}. */
    public static final class Type extends TypeInfoFactory<PartialSummary> {
        @Override
        public TypeInformation<PartialSummary> createTypeInfo(
                java.lang.reflect.Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(PartialSummary.class, PartialSummarySerializer.INSTANCE);
        }
    }
}
