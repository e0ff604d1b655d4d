package io.flowtrail.config;

import io.flowtrail.model.FlowRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins every flow with the network configuration in force at its start: the snapshots arrive on a
 * broadcast stream (versions by time, in broadcast state), each parallel instance keeps their
 * timeline and the indexes built from them, and each flow gains what the configuration says: VPC
 * and subnet when the record lacks them, direction, peer class, whether it is the response of an
 * allowed connection, the kind of interface, and for a REJECT the rule behind it.
 *
 * <p>Ordering: in BATCH mode Flink reads the broadcast side first. In STREAMING, when the snapshots
 * end with the end-of-snapshots marker (a replay's {@code --config}; what a {@code stream} job
 * reads at start: its {@code --config} folders and its configuration topics up to the offsets they
 * had), flows wait in operator state until the marker, and {@link ConfigJoinOperator} holds the
 * flows' watermark back while they wait, so that none of them is late when it is released: both
 * modes give the same verdicts. Snapshots that arrive after the marker (a configuration topic read
 * on) join the timeline as they come: a flow is evaluated against the snapshots received before it,
 * and is not evaluated again when a snapshot for its time arrives later. Without the marker ({@code
 * waitForEnd} false) flows never wait.
 *
 * <p>Two versions with the same time are one: the later one is laid over the earlier ({@link
 * ConfigSnapshot#over}), replacing the kinds it holds, as a snapshot replaces its predecessor's. So
 * a topic may carry one snapshot as several messages, one document each.
 *
 * <p>Flows waiting for configuration are capped ({@code maxWaiting}); past it they are evaluated
 * with what is known.
 */
public final class ConfigJoin
        extends BroadcastProcessFunction<FlowRecord, ConfigMessage, FlowRecord>
        implements CheckpointedFunction {
    private static final String READY = "ready";

    private final boolean waitForEnd;
    private final int maxWaiting;

    private transient List<FlowRecord> waiting;
    private transient ListState<FlowRecord> waitingState;
    private transient FlowEnricher enricher;
    private transient boolean ready;

    public ConfigJoin(boolean waitForEnd, int maxWaiting) {
        this.waitForEnd = waitForEnd;
        this.maxWaiting = maxWaiting;
    }

    @Override
    public void processElement(FlowRecord r, ReadOnlyContext ctx, Collector<FlowRecord> out)
            throws Exception {
        if (!ready) {
            ready =
                    !waitForEnd
                            || Boolean.TRUE.equals(
                                    ctx.getBroadcastState(ConfigDescriptors.STATUS).get(READY));
        }
        if (!ready && waiting.size() < maxWaiting) {
            waiting.add(r);
            return;
        }
        if (enricher == null) {
            enricher =
                    enricher(ctx.getBroadcastState(ConfigDescriptors.VERSIONS).immutableEntries());
        }
        out.collect(enricher.enrich(r));
    }

    @Override
    public void processBroadcastElement(ConfigMessage m, Context ctx, Collector<FlowRecord> out)
            throws Exception {
        if (m.deadLetter != null) {
            return; // routed to the dead letters before the join; nothing to configure
        }
        BroadcastState<Long, byte[]> versions = ctx.getBroadcastState(ConfigDescriptors.VERSIONS);
        if (m.endOfSnapshots) {
            ctx.getBroadcastState(ConfigDescriptors.STATUS).put(READY, true);
            ready = true;
            enricher = enricher(versions.immutableEntries());
            for (FlowRecord r : waiting) {
                out.collect(enricher.enrich(r));
            }
            waiting.clear();
            return;
        }
        byte[] sameTime = versions.get(m.effectiveFromMillis);
        versions.put(
                m.effectiveFromMillis,
                sameTime == null
                        ? m.snapshot
                        : ConfigSnapshot.fromBytes(m.snapshot)
                                .over(ConfigSnapshot.fromBytes(sameTime))
                                .toBytes());
        enricher = null; // rebuilt with the new version on the next flow
    }

    /**
     * Whether flows wait for the end-of-snapshots marker still: then the operator holds their
     * watermark back.
     */
    boolean waitingForConfig() {
        return !ready;
    }

    private static FlowEnricher enricher(Iterable<Map.Entry<Long, byte[]>> entries) {
        List<byte[]> versions = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : entries) {
            versions.add(e.getValue());
        }
        return FlowEnricher.ofSnapshots(versions);
    }

    /**
     * The gateway endpoint an S3 or DynamoDB flow bypassed: the subnet's route table has one, yet
     * the flow left through an internet gateway ({@code traffic-path} 8) or through another
     * resource of the VPC such as a NAT gateway (1). Through the endpoint it would show 7 (or 2,
     * which does not tell an internet gateway from an endpoint and is left alone). Records without
     * {@code traffic-path} cannot tell.
     */
    static String bypassedEndpoint(NetworkIndex index, FlowRecord r) {
        if (r.trafficPath != 8 && r.trafficPath != 1) {
            return null;
        }
        io.flowtrail.model.VpcEndpoint endpoint =
                index.gatewayEndpointFor(r.subnetId, r.pktDstAwsService);
        return endpoint == null ? null : endpoint.vpcEndpointId();
    }

    /** Whether the subnet's route table has no usable route to the record's destination. */
    static boolean noRoute(NetworkIndex index, FlowRecord r) {
        if (r.subnetId == null || index.routeTableOf(r.subnetId) == null) {
            return false; // routing unknown: say nothing
        }
        byte family =
                r.pktDstFamily != io.flowtrail.model.IpAddresses.NONE
                        ? r.pktDstFamily
                        : r.dstFamily;
        long hi = r.pktDstFamily != io.flowtrail.model.IpAddresses.NONE ? r.pktDstHi : r.dstHi;
        long lo = r.pktDstFamily != io.flowtrail.model.IpAddresses.NONE ? r.pktDstLo : r.dstLo;
        io.flowtrail.model.Route route =
                index.routeFor(r.subnetId, new io.flowtrail.model.IpAddress(family, hi, lo));
        return route == null || route.blackhole();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        waitingState.update(waiting);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        waitingState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "flows-waiting-for-config",
                                        TypeInformation.of(FlowRecord.class)));
        waiting = new ArrayList<>();
        for (FlowRecord r : waitingState.get()) {
            waiting.add(r);
        }
        ready =
                !waitForEnd
                        || Boolean.TRUE.equals(
                                context.getOperatorStateStore()
                                        .getBroadcastState(ConfigDescriptors.STATUS)
                                        .get(READY));
    }
}
