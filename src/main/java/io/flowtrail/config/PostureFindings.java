package io.flowtrail.config;

import io.flowtrail.model.Alert;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Posture findings ({@code config_posture}) raised when a snapshot takes effect: {@link
 * PostureChecks} over the configuration in force from then on. A finding that was already true in
 * the previous snapshot is not raised again (a partial snapshot that changes one NACL does not
 * re-raise every open security group); one that appears, or reappears after it was fixed, is.
 *
 * <p>Runs with parallelism 1 on the configuration stream; versions are kept in operator state. A
 * snapshot in force from the beginning of time dates its findings at the epoch (1970-01-01).
 */
public final class PostureFindings extends ProcessFunction<ConfigMessage, Alert>
        implements CheckpointedFunction {
    private transient List<byte[]> versions;
    private transient ListState<byte[]> versionsState;

    @Override
    public void processElement(ConfigMessage m, Context ctx, Collector<Alert> out) {
        if (m.endOfSnapshots || m.deadLetter != null) {
            return;
        }
        List<ConfigSnapshot> before = snapshots();
        versions.add(m.snapshot);
        ConfigTimeline previous = ConfigTimeline.of(before);
        ConfigTimeline now = ConfigTimeline.of(snapshots());
        long t = m.effectiveFromMillis;
        Set<String> known = new HashSet<>();
        NetworkIndex was = t == Long.MIN_VALUE ? null : previous.indexAt(t - 1);
        if (was == null && t != Long.MIN_VALUE) {
            was = previous.indexAt(t);
        }
        if (was != null) {
            for (Alert a : PostureChecks.findings(was, was.effectiveFromMillis())) {
                known.add(identity(a));
            }
        }
        NetworkIndex index = now.indexAt(t);
        if (index == null) {
            return;
        }
        for (Alert a : PostureChecks.findings(index, t)) {
            if (known.add(identity(a))) {
                if (t == Long.MIN_VALUE) {
                    a.windowStart = 0;
                    a.windowEnd = 0;
                }
                out.collect(a);
            }
        }
    }

    /** A finding without its time: the same finding in two snapshots has the same identity. */
    static String identity(Alert a) {
        return a.detector + "|" + a.title + "|" + a.evidence;
    }

    private List<ConfigSnapshot> snapshots() {
        List<ConfigSnapshot> list = new ArrayList<>();
        for (byte[] b : versions) {
            list.add(ConfigSnapshot.fromBytes(b));
        }
        return list;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        versionsState.update(versions);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        versionsState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "posture-config-versions",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        versions = new ArrayList<>();
        for (byte[] b : versionsState.get()) {
            versions.add(b);
        }
    }
}
