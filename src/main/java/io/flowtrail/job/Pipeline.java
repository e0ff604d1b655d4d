package io.flowtrail.job;

import io.flowtrail.config.ConfigJoin;
import io.flowtrail.config.ConfigJoinOperator;
import io.flowtrail.config.ConfigMessage;
import io.flowtrail.config.ConfigTimeline;
import io.flowtrail.config.InstanceDirectory;
import io.flowtrail.config.KnownConfigJoin;
import io.flowtrail.config.PostureFindings;
import io.flowtrail.detect.egress.EgressCombiner;
import io.flowtrail.detect.egress.EgressDetector;
import io.flowtrail.detect.egress.EgressPartial;
import io.flowtrail.detect.kms.AccessDeniedBurstDetector;
import io.flowtrail.detect.kms.ConfigChangeRejectsCorrelator;
import io.flowtrail.detect.kms.ConfigChangeRejectsInput;
import io.flowtrail.detect.kms.DecryptBurstDetector;
import io.flowtrail.detect.kms.KeyUsageEgressCorrelator;
import io.flowtrail.detect.kms.KeyUsageEgressInput;
import io.flowtrail.detect.kms.KeyUsageSignals;
import io.flowtrail.detect.kms.KmsFindings;
import io.flowtrail.detect.kms.KmsParams;
import io.flowtrail.detect.kms.KmsRuleDetector;
import io.flowtrail.detect.kms.NewPrincipalDetector;
import io.flowtrail.detect.portscan.PortScanDetector;
import io.flowtrail.detect.portscan.PortScanParams;
import io.flowtrail.detect.portscan.Probe;
import io.flowtrail.detect.rejectspike.RejectSpikeCombiner;
import io.flowtrail.detect.rejectspike.RejectSpikeDetector;
import io.flowtrail.detect.rejectspike.SpikePartial;
import io.flowtrail.model.Alert;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.FlowSummaryRow;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.KmsUsageRow;
import io.flowtrail.model.NetworkChangeEvent;
import io.flowtrail.model.RejectRow;
import io.flowtrail.summary.FlowSummaryAggregate;
import io.flowtrail.summary.FlowSummaryCombiner;
import io.flowtrail.summary.FlowSummaryWindowFunction;
import io.flowtrail.summary.KmsUsageAggregate;
import io.flowtrail.summary.KmsUsageKeySelector;
import io.flowtrail.summary.KmsUsageWindowFunction;
import io.flowtrail.summary.PartialSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
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

        /** Null when the job does not write the rejects table ({@code outputs.rejects}). */
        public final DataStream<RejectRow> rejects;

        public final DataStream<DeadLetter> deadLetters;
        public final DataStream<Alert> alerts;

        /** Null without CloudTrail input. */
        public final DataStream<KmsUsageRow> kmsUsage;

        Outputs(
                DataStream<FlowSummaryRow> flowSummary,
                DataStream<RejectRow> rejects,
                DataStream<DeadLetter> deadLetters,
                DataStream<Alert> alerts,
                DataStream<KmsUsageRow> kmsUsage) {
            this.flowSummary = flowSummary;
            this.rejects = rejects;
            this.deadLetters = deadLetters;
            this.alerts = alerts;
            this.kmsUsage = kmsUsage;
        }
    }

    static final OutputTag<FlowRecord> LATE =
            new OutputTag<>("late-flow-records", TypeInformation.of(FlowRecord.class));

    static final OutputTag<PartialSummary> LATE_PARTIALS =
            new OutputTag<>("late-partial-rows", TypeInformation.of(PartialSummary.class));

    /** Open rows per reading task before the pre-aggregation emits early; bounds its memory. */
    static final int MAX_OPEN_PARTIALS = 100_000;

    /**
     * Event time of flow records: their {@code start}, bounded out of order, idle splits ignored.
     */
    public static WatermarkStrategy<FlowRecord> flowWatermarks(JobSpec spec) {
        long bound = spec.maxOutOfOrderness().toMillis();
        WatermarkStrategy<FlowRecord> strategy =
                WatermarkStrategy.<FlowRecord>forGenerator(ctx -> new EagerWatermarks<>(bound))
                        .withTimestampAssigner(
                                (r, previous) ->
                                        r.deadLetter != null ? Long.MIN_VALUE : r.startMillis());
        return spec.idleness().isZero() ? strategy : strategy.withIdleness(spec.idleness());
    }

    /** Flows that may wait in the configuration join for a bounded config source to finish. */
    static final int MAX_WAITING_FOR_CONFIG = 5_000_000;

    /** The pipeline without network configuration. */
    public static Outputs build(DataStream<FlowRecord> flowRecords, JobSpec spec) {
        return build(flowRecords, null, false, spec);
    }

    /** The pipeline without CloudTrail. */
    public static Outputs build(
            DataStream<FlowRecord> flowRecords,
            DataStream<ConfigMessage> config,
            boolean configBounded,
            JobSpec spec) {
        return build(flowRecords, config, configBounded, null, null, spec);
    }

    /** The pipeline with configuration from a broadcast stream only. */
    public static Outputs build(
            DataStream<FlowRecord> flowRecords,
            DataStream<ConfigMessage> config,
            boolean configBounded,
            DataStream<CloudTrailEvent> cloudTrail,
            InstanceDirectory directory,
            JobSpec spec) {
        return build(flowRecords, config, configBounded, null, cloudTrail, directory, spec);
    }

    /**
     * @param flowRecords flow records with event time and watermarks assigned (see {@link
     *     #flowWatermarks}), dead letters from parsing included
     * @param config configuration snapshot versions (a broadcast stream), or null for none
     * @param configBounded whether {@code config} ends with the end-of-snapshots marker (flows wait
     *     for it)
     * @param known when every version is known as the job is built (a replay), the same versions as
     *     {@code config}: flows are then joined in their reading task ({@link KnownConfigJoin}),
     *     and {@code config} serves the posture findings only; null to join with {@code config}
     * @param cloudTrail CloudTrail events with event time and watermarks assigned, or null for none
     * @param directory instances by interface and address, from the configuration (for the
     *     correlations), or null
     */
    public static Outputs build(
            DataStream<FlowRecord> flowRecords,
            DataStream<ConfigMessage> config,
            boolean configBounded,
            ConfigTimeline known,
            DataStream<CloudTrailEvent> cloudTrail,
            InstanceDirectory directory,
            JobSpec spec) {
        SingleOutputStreamOperator<FlowRecord> routed =
                flowRecords
                        .process(new FlowRecordRouter())
                        .name("route flow records")
                        .uid("flow-router");
        DataStream<FlowRecord> traffic = routed;
        if (known != null) {
            traffic =
                    routed.map(new KnownConfigJoin(known))
                            .name("configuration join")
                            .uid("config-join-known");
        } else if (config != null) {
            traffic =
                    routed.connect(config.broadcast())
                            .transform(
                                    "configuration join",
                                    TypeInformation.of(FlowRecord.class),
                                    new ConfigJoinOperator(
                                            new ConfigJoin(configBounded, MAX_WAITING_FOR_CONFIG)))
                            .uid("config-join");
        }

        SingleOutputStreamOperator<PartialSummary> partials =
                traffic.transform(
                                "flow_summary pre-aggregation",
                                TypeInformation.of(PartialSummary.class),
                                new FlowSummaryCombiner(
                                        spec.window().toMillis(),
                                        spec.maxOutOfOrderness().toMillis(),
                                        MAX_OPEN_PARTIALS,
                                        LATE,
                                        spec.writesRejects()))
                        .uid("flow-summary-combiner");

        SingleOutputStreamOperator<FlowSummaryRow> summary =
                partials.keyBy(new PartialKeySelector(spec.window().toMillis()))
                        .window(TumblingEventTimeWindows.of(spec.window()))
                        .sideOutputLateData(LATE_PARTIALS)
                        .aggregate(new FlowSummaryAggregate(), new FlowSummaryWindowFunction())
                        .name("flow_summary windows")
                        .uid("flow-summary-window");

        DataStream<DeadLetter> late =
                partials.getSideOutput(LATE)
                        .map(new LateRecords(spec.window().toMillis()))
                        .name("late flow records")
                        .uid("flow-late")
                        .union(
                                summary.getSideOutput(LATE_PARTIALS)
                                        .map(new LatePartials())
                                        .name("late partial rows")
                                        .uid("flow-late-partials"));

        DataStream<DeadLetter> deadLetters =
                routed.getSideOutput(FlowRecordRouter.DEAD_LETTERS).union(late);

        DataStream<Alert> alerts = detectors(traffic, spec);
        if (config != null) {
            alerts =
                    alerts.union(
                            config.process(new PostureFindings())
                                    .setParallelism(1)
                                    .name("posture findings")
                                    .uid("config-posture"));
        }
        DataStream<KmsUsageRow> kmsUsage = null;
        if (cloudTrail != null) {
            SingleOutputStreamOperator<KmsEvent> kms =
                    cloudTrail
                            .process(new CloudTrailRouter())
                            .name("route CloudTrail events")
                            .uid("cloudtrail-router");
            SingleOutputStreamOperator<KmsUsageRow> usage =
                    kms.keyBy(new KmsUsageKeySelector())
                            .window(TumblingEventTimeWindows.of(spec.window()))
                            .sideOutputLateData(LATE_KMS)
                            .aggregate(new KmsUsageAggregate(), new KmsUsageWindowFunction())
                            .name("kms_usage windows")
                            .uid("kms-usage-window");
            kmsUsage = usage;
            deadLetters =
                    deadLetters
                            .union(kms.getSideOutput(CloudTrailRouter.DEAD_LETTERS))
                            .union(
                                    usage.getSideOutput(LATE_KMS)
                                            .map(new LateKmsEvents())
                                            .name("late CloudTrail events")
                                            .uid("cloudtrail-late"));
            DataStream<Alert> kmsAlerts = kmsDetectors(kms, spec);
            if (kmsAlerts != null) {
                alerts =
                        alerts.union(kmsAlerts)
                                .union(
                                        correlations(
                                                alerts,
                                                kmsAlerts,
                                                kms.getSideOutput(CloudTrailRouter.NETWORK_CHANGES),
                                                directory,
                                                spec));
            }
        }
        return new Outputs(
                summary,
                spec.writesRejects()
                        ? summary.getSideOutput(FlowSummaryWindowFunction.REJECTS)
                        : null,
                deadLetters,
                alerts,
                kmsUsage);
    }

    static final OutputTag<KmsEvent> LATE_KMS =
            new OutputTag<>("late-kms-events", TypeInformation.of(KmsEvent.class));

    /**
     * Event time of CloudTrail events: their eventTime, bounded out of order, emitted as soon as it
     * moves (a watched folder's small files), idle splits ignored (a quiet topic).
     */
    public static WatermarkStrategy<CloudTrailEvent> cloudTrailWatermarks(JobSpec spec) {
        long bound = spec.cloudTrailBound().toMillis();
        WatermarkStrategy<CloudTrailEvent> strategy =
                WatermarkStrategy.<CloudTrailEvent>forGenerator(ctx -> new EagerWatermarks<>(bound))
                        .withTimestampAssigner(
                                (e, previous) ->
                                        e.deadLetter != null
                                                ? Long.MIN_VALUE
                                                : e.eventTimeMillis());
        return spec.cloudTrailIdleness().isZero()
                ? strategy
                : strategy.withIdleness(spec.cloudTrailIdleness());
    }

    /** The KMS detectors (category anomalous_key_usage), or null when turned off. */
    static DataStream<Alert> kmsDetectors(DataStream<KmsEvent> kms, JobSpec spec) {
        KmsParams p = spec.detectors.kms;
        if (!p.enabled) {
            return null;
        }
        Duration w = spec.window();
        DataStream<Alert> rules =
                kms.flatMap(new KmsFindings(p))
                        .name("KMS findings")
                        .uid("detect-kms-findings")
                        .keyBy(new KmsRuleDetector.Key())
                        .process(new KmsRuleDetector(w, spec.kmsSuppress()))
                        .name("detect KMS rules")
                        .uid("detect-kms-rules");
        DataStream<Alert> bursts =
                kms.filter(e -> DecryptBurstDetector.counts(e, p))
                        .name("KMS calls for bursts")
                        .uid("detect-kms-burst-calls")
                        .keyBy(new DecryptBurstDetector.Key())
                        .process(
                                new DecryptBurstDetector(
                                        p, w, spec.kmsSuppress(), spec.kmsBurstForget()))
                        .name("detect kms_decrypt_burst")
                        .uid("detect-kms-burst");
        DataStream<Alert> principals =
                kms.filter(NewPrincipalDetector::counts)
                        .name("KMS calls for principals")
                        .uid("detect-kms-principal-calls")
                        .keyBy(new NewPrincipalDetector.Key())
                        .process(
                                new NewPrincipalDetector(
                                        p,
                                        w,
                                        spec.kmsNewPrincipalWarmUp(),
                                        spec.kmsNewPrincipalRemember()))
                        .name("detect kms_new_principal")
                        .uid("detect-kms-new-principal");
        DataStream<Alert> denied =
                kms.filter(AccessDeniedBurstDetector::counts)
                        .name("KMS refusals")
                        .uid("detect-kms-denied-calls")
                        .keyBy(new AccessDeniedBurstDetector.Key())
                        .process(new AccessDeniedBurstDetector(p, w, spec.kmsSuppress()))
                        .name("detect kms_access_denied_burst")
                        .uid("detect-kms-denied");
        return rules.union(bursts, principals, denied);
    }

    /**
     * Correlated incidents: key usage by an instance followed by unexpected egress from it, and a
     * network configuration change followed by rejects its rule explains.
     */
    static DataStream<Alert> correlations(
            DataStream<Alert> flowAlerts,
            DataStream<Alert> kmsAlerts,
            DataStream<NetworkChangeEvent> changes,
            InstanceDirectory directory,
            JobSpec spec) {
        InstanceDirectory dir = directory;
        DataStream<KeyUsageEgressInput> usage =
                kmsAlerts
                        .flatMap(
                                new KeyUsageSignals(
                                        dir == null
                                                ? null
                                                : (address, at) -> dir.instanceOfAddress(address)))
                        .name("key usage by instances")
                        .uid("correlate-key-usage");
        DataStream<KeyUsageEgressInput> egress =
                flowAlerts
                        .flatMap(new EgressByInstance(dir))
                        .name("egress by instances")
                        .uid("correlate-egress");
        DataStream<Alert> keyThenEgress =
                usage.union(egress)
                        .keyBy(new KeyUsageEgressInput.Key())
                        .process(new KeyUsageEgressCorrelator(spec.kmsCorrelation(), spec.window()))
                        .name("correlate key usage then egress")
                        .uid("correlate-key-usage-egress");
        DataStream<ConfigChangeRejectsInput> changeSide =
                changes.flatMap(new ChangesByResource())
                        .name("network changes by resource")
                        .uid("correlate-changes");
        DataStream<ConfigChangeRejectsInput> spikeSide =
                flowAlerts
                        .flatMap(new SpikesByResource(dir))
                        .name("reject spikes by resource")
                        .uid("correlate-spikes");
        DataStream<Alert> changeThenRejects =
                changeSide
                        .union(spikeSide)
                        .keyBy(new ConfigChangeRejectsInput.Key())
                        .process(
                                new ConfigChangeRejectsCorrelator(
                                        spec.kmsCorrelation(), spec.window()))
                        .name("correlate config change then rejects")
                        .uid("correlate-change-rejects");
        return keyThenEgress.union(changeThenRejects);
    }

    /** Egress alerts of an interface that belongs to an instance, keyed by that instance. */
    static final class EgressByInstance implements FlatMapFunction<Alert, KeyUsageEgressInput> {
        private final InstanceDirectory directory;

        EgressByInstance(InstanceDirectory directory) {
            this.directory = directory;
        }

        @Override
        public void flatMap(Alert a, Collector<KeyUsageEgressInput> out) {
            if (directory == null || !KeyUsageEgressInput.isEgressAlert(a)) {
                return;
            }
            String instance = directory.instanceOfInterface(a.interfaceId);
            if (instance != null) {
                out.collect(KeyUsageEgressInput.egress(a, instance));
            }
        }
    }

    static final class ChangesByResource
            implements FlatMapFunction<NetworkChangeEvent, ConfigChangeRejectsInput> {
        @Override
        public void flatMap(NetworkChangeEvent e, Collector<ConfigChangeRejectsInput> out) {
            ConfigChangeRejectsInput.ofChange(e).forEach(out::collect);
        }
    }

    static final class SpikesByResource
            implements FlatMapFunction<Alert, ConfigChangeRejectsInput> {
        private final InstanceDirectory directory;

        SpikesByResource(InstanceDirectory directory) {
            this.directory = directory;
        }

        @Override
        public void flatMap(Alert a, Collector<ConfigChangeRejectsInput> out) {
            if (!"rejected_traffic_spike".equals(a.category)) {
                return;
            }
            List<String> groups = directory == null ? List.of() : directory.groupsOf(a.interfaceId);
            ConfigChangeRejectsInput.ofSpike(a, groups).forEach(out::collect);
        }
    }

    /** A CloudTrail event whose window had closed becomes a dead letter, reason {@code late}. */
    static final class LateKmsEvents extends RichMapFunction<KmsEvent, DeadLetter> {
        private transient LongCounter late;

        @Override
        public void open(OpenContext openContext) {
            late = new LongCounter();
            getRuntimeContext().addAccumulator(RunCounters.KMS_LATE, late);
        }

        @Override
        public DeadLetter map(KmsEvent e) {
            late.add(1);
            return new DeadLetter(
                    "cloudtrail",
                    e.location(),
                    "late: its kms_usage window had closed (raise cloudtrail.max-out-of-orderness)",
                    e.eventName + " " + e.keyArn + " " + e.principalArn,
                    e.eventTimeMillis,
                    System.currentTimeMillis());
        }
    }

    /** The flow detectors, each keyed by its entity; their alerts in one stream. */
    static DataStream<Alert> detectors(DataStream<FlowRecord> traffic, JobSpec spec) {
        JobSpec.Detectors d = spec.detectors;
        List<DataStream<Alert>> alerts = new ArrayList<>();
        if (d.portScan.enabled) {
            PortScanParams p = d.portScan;
            alerts.add(
                    traffic.flatMap(new Probes(p))
                            .name("probes")
                            .uid("detect-port-scan-probes")
                            .keyBy(new ProbeSource(), Probe.SOURCE_TYPE)
                            .process(
                                    new PortScanDetector(p, spec.window(), spec.portScanSuppress()))
                            .name("detect port_scan")
                            .uid("detect-port-scan"));
        }
        if (d.rejectSpike.enabled) {
            alerts.add(
                    traffic.transform(
                                    "rejected flows pre-aggregation",
                                    TypeInformation.of(SpikePartial.class),
                                    new RejectSpikeCombiner(
                                            spec.window().toMillis(),
                                            spec.maxOutOfOrderness().toMillis(),
                                            MAX_OPEN_PARTIALS))
                            .uid("detect-reject-spike-events")
                            .keyBy(new SpikeKey())
                            .process(
                                    new RejectSpikeDetector(
                                            d.rejectSpike,
                                            spec.window(),
                                            spec.spikeSuppress(),
                                            spec.spikeForget(),
                                            spec.spikeLookback()))
                            .name("detect rejected_traffic_spike")
                            .uid("detect-reject-spike"));
        }
        if (d.egress.enabled) {
            alerts.add(
                    traffic.transform(
                                    "external egress pre-aggregation",
                                    TypeInformation.of(EgressPartial.class),
                                    new EgressCombiner(
                                            d.egress,
                                            spec.window().toMillis(),
                                            spec.maxOutOfOrderness().toMillis(),
                                            MAX_OPEN_PARTIALS))
                            .uid("detect-egress-events")
                            .keyBy(new EgressKey())
                            .process(
                                    new EgressDetector(
                                            d.egress,
                                            spec.window(),
                                            spec.egressRemember(),
                                            spec.egressSuppress()))
                            .name("detect unexpected_egress")
                            .uid("detect-egress"));
        }
        if (alerts.isEmpty()) {
            return traffic.flatMap(new NoAlerts()).name("no detectors").uid("detect-none");
        }
        DataStream<Alert> all = alerts.get(0);
        for (int i = 1; i < alerts.size(); i++) {
            all = all.union(alerts.get(i));
        }
        return all;
    }

    /** The probes among the flows (see {@link PortScanDetector#isProbe}). */
    static final class Probes
            implements org.apache.flink.api.common.functions.FlatMapFunction<FlowRecord, Probe> {
        private final PortScanParams params;

        Probes(PortScanParams params) {
            this.params = params;
        }

        @Override
        public void flatMap(FlowRecord r, org.apache.flink.util.Collector<Probe> out) {
            Probe p = Probe.of(r, params);
            if (p != null) {
                out.collect(p);
            }
        }
    }

    static final class ProbeSource implements KeySelector<Probe, Tuple3<Long, Long, Byte>> {
        @Override
        public Tuple3<Long, Long, Byte> getKey(Probe p) {
            return p.source();
        }
    }

    static final class SpikeKey implements KeySelector<SpikePartial, String> {
        @Override
        public String getKey(SpikePartial p) {
            return p.key;
        }
    }

    static final class EgressKey implements KeySelector<EgressPartial, String> {
        @Override
        public String getKey(EgressPartial p) {
            return p.interfaceId;
        }
    }

    /** With every detector turned off, the alerts table still exists (empty). */
    static final class NoAlerts
            implements org.apache.flink.api.common.functions.FlatMapFunction<FlowRecord, Alert> {
        @Override
        public void flatMap(FlowRecord r, org.apache.flink.util.Collector<Alert> out) {}
    }

    /** Partial rows by {@link SummaryKey#shuffleKey} (fixed length: the batch sort is cheap). */
    public static final class PartialKeySelector implements KeySelector<PartialSummary, Long> {
        private final long windowMillis;

        public PartialKeySelector(long windowMillis) {
            this.windowMillis = windowMillis;
        }

        @Override
        public Long getKey(PartialSummary p) {
            return p.key.shuffleKey(windowMillis);
        }
    }

    /**
     * A partial row that reached its window after the window fired. The pre-aggregation emits a
     * window's partials before the watermark that closes it, so this does not happen; if it ever
     * did, the flows would be kept here as a dead letter and counted late, not lost.
     */
    static final class LatePartials
            extends org.apache.flink.api.common.functions.RichMapFunction<
                    PartialSummary, DeadLetter> {
        private transient org.apache.flink.api.common.accumulators.LongCounter late;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
            late = new org.apache.flink.api.common.accumulators.LongCounter();
            getRuntimeContext().addAccumulator(RunCounters.LATE, late);
        }

        @Override
        public DeadLetter map(PartialSummary p) {
            late.add(p.totals.flows);
            return new DeadLetter(
                    "flow-log",
                    "interface " + p.key.interfaceId,
                    "late: a partial row of "
                            + p.totals.flows
                            + " flows reached window "
                            + Instant.ofEpochMilli(p.key.windowStart)
                            + " after it closed",
                    "",
                    p.key.windowStart,
                    System.currentTimeMillis());
        }
    }

    /**
     * A record whose window had closed when it arrived becomes a dead letter, reason {@code late}.
     */
    static final class LateRecords
            extends org.apache.flink.api.common.functions.RichMapFunction<FlowRecord, DeadLetter> {
        private final long windowMillis;
        private transient org.apache.flink.api.common.accumulators.LongCounter late;
        private transient org.apache.flink.metrics.Counter lateMetric;

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
            if (lateMetric == null) {
                lateMetric =
                        getRuntimeContext().getMetricGroup().counter("flowtrail_flow_late_records");
            }
            lateMetric.inc();
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
