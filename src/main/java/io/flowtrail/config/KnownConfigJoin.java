package io.flowtrail.config;

import io.flowtrail.model.FlowRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * The configuration join when every snapshot is known as the job is built (a replay's {@code
 * --config}): the versions travel inside the job, and each flow is enriched in the task that read
 * it, chained to the source. The same verdicts as {@link ConfigJoin} over a bounded broadcast of
 * the same versions (which waits for them all before the first flow), without sending every record
 * to a separate two-input task: in a replay, that hop's serialization was the largest single cost.
 */
public final class KnownConfigJoin extends RichMapFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    /** The versions as {@link ConfigSnapshot#toBytes()}, in time order. */
    private final List<byte[]> versions;

    private transient FlowEnricher enricher;

    public KnownConfigJoin(ConfigTimeline timeline) {
        this.versions = new ArrayList<>();
        for (ConfigSnapshot version : timeline.versions()) {
            versions.add(version.toBytes());
        }
    }

    @Override
    public void open(OpenContext openContext) {
        enricher = FlowEnricher.ofSnapshots(versions);
    }

    @Override
    public FlowRecord map(FlowRecord r) {
        return enricher.enrich(r);
    }
}
