package io.flowtrail.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flowtrail.detect.egress.EgressParams;
import io.flowtrail.detect.kms.KmsParams;
import io.flowtrail.detect.portscan.PortScanParams;
import io.flowtrail.detect.rejectspike.RejectSpikeParams;
import io.flowtrail.parse.FlowLogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * A job definition ({@code jobs/*.yaml}): windows, watermark bounds, outputs, execution. Read with
 * Jackson; an unknown key or a bad value is an {@link InvalidJobFile} naming the file, the key and
 * what was expected. Every key has a default, so an empty file is the default job.
 */
public final class JobSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code flow-logs:} */
    public static final class FlowLogs implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Format of input without a header line: {@code default} or a format string. */
        @JsonProperty("format")
        public String format = "default";

        @JsonProperty("window")
        public String window = "5m";

        @JsonProperty("max-out-of-orderness")
        public String maxOutOfOrderness = "15m";

        @JsonProperty("idleness")
        public String idleness = "1m";
    }

    /** {@code outputs:} */
    public static final class Outputs implements Serializable {
        private static final long serialVersionUID = 1L;

        @JsonProperty("compression")
        public String compression = "zstd";

        /**
         * Whether the {@code rejects} table is written. Off, a replay that only feeds dashboards
         * from {@code flow_summary} skips its rows (about as many as flow_summary's: one per
         * destination port and rule) and the work before them.
         */
        @JsonProperty("rejects")
        public boolean rejects = true;
    }

    /** {@code execution:} */
    public static final class Execution implements Serializable {
        private static final long serialVersionUID = 1L;

        @JsonProperty("parallelism")
        public int parallelism = 2;

        @JsonProperty("checkpoint-interval")
        public String checkpointInterval = "10s";

        /** Completed checkpoints kept (streaming); older ones are deleted. */
        @JsonProperty("checkpoints-retained")
        public int checkpointsRetained = 3;

        /** Restarts after a failure before the streaming job gives up. */
        @JsonProperty("restart-attempts")
        public int restartAttempts = 10;

        @JsonProperty("restart-delay")
        public String restartDelay = "10s";
    }

    /** {@code detectors:} every threshold of every detector. */
    public static final class Detectors implements Serializable {
        private static final long serialVersionUID = 1L;

        @JsonProperty("port-scan")
        public PortScanParams portScan = new PortScanParams();

        @JsonProperty("rejected-traffic-spike")
        public RejectSpikeParams rejectSpike = new RejectSpikeParams();

        @JsonProperty("unexpected-egress")
        public EgressParams egress = new EgressParams();

        @JsonProperty("anomalous-key-usage")
        public KmsParams kms = new KmsParams();
    }

    /** {@code cloudtrail:} */
    public static final class CloudTrail implements Serializable {
        private static final long serialVersionUID = 1L;

        /** How far out of order events may arrive: CloudTrail delivers within about 15 minutes. */
        @JsonProperty("max-out-of-orderness")
        public String maxOutOfOrderness = "20m";

        @JsonProperty("idleness")
        public String idleness = "1m";
    }

    @JsonProperty("cloudtrail")
    public CloudTrail cloudTrail = new CloudTrail();

    @JsonProperty("flow-logs")
    public FlowLogs flowLogs = new FlowLogs();

    @JsonProperty("detectors")
    public Detectors detectors = new Detectors();

    @JsonProperty("outputs")
    public Outputs outputs = new Outputs();

    @JsonProperty("execution")
    public Execution execution = new Execution();

    // Validated, typed values; set by validate().
    private transient FlowLogFormat fallbackFormat;
    private Duration window;
    private Duration maxOutOfOrderness;
    private Duration idleness;
    private Duration checkpointInterval;
    private Duration restartDelay;
    private Duration kmsSuppress;
    private Duration kmsBurstForget;
    private Duration kmsNewPrincipalWarmUp;
    private Duration kmsNewPrincipalRemember;
    private Duration kmsCorrelation;
    private Duration cloudTrailBound;
    private Duration cloudTrailIdleness;
    private Duration portScanSuppress;
    private Duration spikeSuppress;
    private Duration spikeForget;
    private Duration spikeLookback;
    private Duration egressSuppress;
    private Duration egressRemember;
    private CompressionCodecName compression;

    /** The job with every default. */
    public static JobSpec defaults() {
        JobSpec spec = new JobSpec();
        spec.validate("(defaults)");
        return spec;
    }

    public static JobSpec load(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidJobFile(name + ": job file not found");
        }
        ObjectMapper yaml =
                new ObjectMapper(new YAMLFactory())
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        JobSpec spec;
        try (InputStream in = Files.newInputStream(file)) {
            com.fasterxml.jackson.databind.JsonNode tree = yaml.readTree(in);
            spec =
                    tree == null || tree.isMissingNode() || tree.isNull()
                            ? null // an empty file, or only comments
                            : yaml.treeToValue(tree, JobSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String expected =
                    e.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            throw new InvalidJobFile(
                    name + ": unknown key '" + path(e) + "' (expected one of: " + expected + ")");
        } catch (JsonMappingException e) {
            throw new InvalidJobFile(
                    name + ": key '" + path(e) + "': " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw new InvalidJobFile(name + ": not valid YAML: " + e.getMessage().split("\n")[0]);
        }
        if (spec == null) {
            spec = new JobSpec(); // an empty file
        }
        spec.validate(name);
        return spec;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** Checks every value; throws {@link InvalidJobFile} naming the first bad key. */
    public JobSpec validate(String name) {
        if (flowLogs == null
                || outputs == null
                || execution == null
                || detectors == null
                || detectors.portScan == null
                || detectors.rejectSpike == null
                || detectors.egress == null) {
            throw new InvalidJobFile(name + ": a section is empty; remove it to take its defaults");
        }
        fallbackFormat = format(name, flowLogs.format);
        window = duration(name, "flow-logs.window", flowLogs.window);
        maxOutOfOrderness =
                duration(name, "flow-logs.max-out-of-orderness", flowLogs.maxOutOfOrderness);
        idleness = duration(name, "flow-logs.idleness", flowLogs.idleness);
        checkpointInterval =
                duration(name, "execution.checkpoint-interval", execution.checkpointInterval);
        restartDelay = duration(name, "execution.restart-delay", execution.restartDelay);
        check(name, "detectors.port-scan.", detectors.portScan.validate());
        check(name, "detectors.rejected-traffic-spike.", detectors.rejectSpike.validate());
        check(name, "detectors.unexpected-egress.", detectors.egress.validate());
        check(name, "detectors.anomalous-key-usage.", detectors.kms.validate());
        kmsSuppress =
                duration(
                        name,
                        "detectors.anomalous-key-usage.suppress-for",
                        detectors.kms.suppressFor);
        kmsBurstForget =
                duration(
                        name,
                        "detectors.anomalous-key-usage.burst-forget-after",
                        detectors.kms.burstForgetAfter);
        kmsNewPrincipalWarmUp =
                duration(
                        name,
                        "detectors.anomalous-key-usage.new-principal-warm-up",
                        detectors.kms.newPrincipalWarmUp);
        kmsNewPrincipalRemember =
                duration(
                        name,
                        "detectors.anomalous-key-usage.new-principal-remember-for",
                        detectors.kms.newPrincipalRememberFor);
        kmsCorrelation =
                duration(
                        name,
                        "detectors.anomalous-key-usage.correlation-window",
                        detectors.kms.correlationWindow);
        cloudTrailBound =
                duration(name, "cloudtrail.max-out-of-orderness", cloudTrail.maxOutOfOrderness);
        cloudTrailIdleness = duration(name, "cloudtrail.idleness", cloudTrail.idleness);
        portScanSuppress =
                duration(name, "detectors.port-scan.suppress-for", detectors.portScan.suppressFor);
        spikeSuppress =
                duration(
                        name,
                        "detectors.rejected-traffic-spike.suppress-for",
                        detectors.rejectSpike.suppressFor);
        spikeForget =
                duration(
                        name,
                        "detectors.rejected-traffic-spike.forget-after",
                        detectors.rejectSpike.forgetAfter);
        spikeLookback =
                duration(
                        name,
                        "detectors.rejected-traffic-spike.config-change-lookback",
                        detectors.rejectSpike.configChangeLookback);
        egressSuppress =
                duration(
                        name,
                        "detectors.unexpected-egress.suppress-for",
                        detectors.egress.suppressFor);
        egressRemember =
                duration(
                        name,
                        "detectors.unexpected-egress.remember-for",
                        detectors.egress.rememberFor);
        if (execution.checkpointsRetained < 1) {
            throw new InvalidJobFile(
                    name + ": key 'execution.checkpoints-retained': expected 1 or more");
        }
        if (execution.restartAttempts < 0) {
            throw new InvalidJobFile(
                    name + ": key 'execution.restart-attempts': expected 0 or more");
        }
        if (window.isZero()) {
            throw new InvalidJobFile(name + ": key 'flow-logs.window': expected more than 0");
        }
        if (execution.parallelism < 1 || execution.parallelism > 4096) {
            throw new InvalidJobFile(
                    name
                            + ": key 'execution.parallelism': expected 1 to 4096, got "
                            + execution.parallelism);
        }
        try {
            compression =
                    CompressionCodecName.valueOf(outputs.compression.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            compression = null;
        }
        if (compression != CompressionCodecName.ZSTD
                && compression != CompressionCodecName.SNAPPY
                && compression != CompressionCodecName.GZIP
                && compression != CompressionCodecName.UNCOMPRESSED) {
            throw new InvalidJobFile(
                    name
                            + ": key 'outputs.compression': expected zstd, snappy, gzip or"
                            + " uncompressed, got '"
                            + outputs.compression
                            + "'");
        }
        return this;
    }

    private static void check(String name, String prefix, String problem) {
        if (problem != null) {
            throw new InvalidJobFile(name + ": key '" + prefix + problem.replaceFirst(": ", "': "));
        }
    }

    private static FlowLogFormat format(String name, String value) {
        if (value == null || value.isBlank() || value.equals("default")) {
            return FlowLogFormat.DEFAULT;
        }
        try {
            FlowLogFormat format = FlowLogFormat.parse(value);
            if (!format.unknownNames().isEmpty()) {
                throw new InvalidJobFile(
                        name
                                + ": key 'flow-logs.format': unknown flow-log fields "
                                + format.unknownNames());
            }
            return format;
        } catch (IllegalArgumentException e) {
            throw new InvalidJobFile(name + ": key 'flow-logs.format': " + e.getMessage());
        }
    }

    /**
     * A duration: a number and a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code
     * 1d}) or ISO-8601 ({@code PT5M}).
     */
    public static Duration parseDuration(String value) {
        String v = value.trim();
        if (v.startsWith("P") || v.startsWith("p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no number");
        }
        long n = Long.parseLong(v.substring(0, i));
        String unit = v.substring(i).trim();
        switch (unit) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
            case "min":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            case "d":
                return Duration.ofDays(n);
            default:
                throw new IllegalArgumentException("unknown unit '" + unit + "'");
        }
    }

    private static Duration duration(String name, String key, String value) {
        try {
            Duration d = parseDuration(value);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (RuntimeException e) {
            throw new InvalidJobFile(
                    name
                            + ": key '"
                            + key
                            + "': expected a duration such as 30s, 5m or PT5M, got '"
                            + value
                            + "'");
        }
    }

    public FlowLogFormat fallbackFormat() {
        if (fallbackFormat == null) {
            fallbackFormat = format("(job)", flowLogs.format);
        }
        return fallbackFormat;
    }

    /** Replaces the format of headerless input (the {@code --flow-format} option). */
    public JobSpec withFlowFormat(String format) {
        flowLogs.format = format;
        fallbackFormat = format("--flow-format", format);
        return this;
    }

    public Duration window() {
        return window;
    }

    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    public Duration idleness() {
        return idleness;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    public Duration kmsSuppress() {
        return kmsSuppress;
    }

    public Duration kmsBurstForget() {
        return kmsBurstForget;
    }

    public Duration kmsNewPrincipalWarmUp() {
        return kmsNewPrincipalWarmUp;
    }

    public Duration kmsNewPrincipalRemember() {
        return kmsNewPrincipalRemember;
    }

    public Duration kmsCorrelation() {
        return kmsCorrelation;
    }

    public Duration cloudTrailBound() {
        return cloudTrailBound;
    }

    public Duration cloudTrailIdleness() {
        return cloudTrailIdleness;
    }

    public Duration portScanSuppress() {
        return portScanSuppress;
    }

    public Duration spikeSuppress() {
        return spikeSuppress;
    }

    public Duration spikeForget() {
        return spikeForget;
    }

    public Duration spikeLookback() {
        return spikeLookback;
    }

    public Duration egressSuppress() {
        return egressSuppress;
    }

    public Duration egressRemember() {
        return egressRemember;
    }

    public Duration restartDelay() {
        return restartDelay;
    }

    public int restartAttempts() {
        return execution.restartAttempts;
    }

    public int checkpointsRetained() {
        return execution.checkpointsRetained;
    }

    public CompressionCodecName compression() {
        return compression;
    }

    /** Whether the {@code rejects} table is written ({@code outputs.rejects}). */
    public boolean writesRejects() {
        return outputs.rejects;
    }

    public int parallelism() {
        return execution.parallelism;
    }

    /** A job file that cannot be used; the message names the file, the key and the problem. */
    public static final class InvalidJobFile extends RuntimeException {
        public InvalidJobFile(String message) {
            super(message);
        }
    }
}
