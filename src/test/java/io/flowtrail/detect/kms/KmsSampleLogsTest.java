package io.flowtrail.detect.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.detect.DetectorSupport;
import io.flowtrail.job.JobSpec;
import io.flowtrail.model.Alert;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.NetworkChangeEvent;
import io.flowtrail.parse.CloudTrailReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample CloudTrail hour ({@code sample-logs/cloudtrail/}) read with the reader and run through
 * the KMS detectors and the two correlations in harnesses, as the pipeline would run them: exactly
 * the incidents {@code expected_cloudtrail.json} documents come out, by category, entity and
 * window, and nothing on the hour's everyday traffic (S3 decrypting for the web role, the
 * applications' data keys, the backup role through its VPC endpoint, the key rotating itself).
 *
 * <p>The flow alerts the correlations need ({@code unexpected-egress-batch-b}, the two rejected
 * spikes) are taken from {@code expected.json}, as the flow detectors raise them, and mapped to
 * instances and security groups with {@code topology.json}, as the pipeline maps them with the
 * configuration.
 */
class KmsSampleLogsTest {
    private static final Path SAMPLE = Path.of("sample-logs").toAbsolutePath();
    private static final Duration WINDOW = Duration.ofMinutes(5);

    /** CloudTrail's delivery delay: the watermark bound the issue sets for CloudTrail. */
    private static final Duration BOUND = Duration.ofMinutes(20);

    private static final List<List<KmsEvent>> files = new ArrayList<>();
    private static final List<NetworkChangeEvent> changes = new ArrayList<>();
    private static JsonNode expected;
    private static JsonNode flowExpected;
    private static JsonNode topology;

    @BeforeAll
    static void readTheSampleHour() throws IOException {
        ObjectMapper json = new ObjectMapper();
        expected = json.readTree(SAMPLE.resolve("expected_cloudtrail.json").toFile());
        flowExpected = json.readTree(SAMPLE.resolve("expected.json").toFile());
        topology = json.readTree(SAMPLE.resolve("topology.json").toFile());
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(SAMPLE.resolve("cloudtrail"))) {
            // Delivery order: the file names carry the delivery time.
            paths =
                    walk.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".json.gz"))
                            .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                            .collect(Collectors.toList());
        }
        for (Path p : paths) {
            List<KmsEvent> kms = new ArrayList<>();
            try (InputStream in = Files.newInputStream(p);
                    CloudTrailReader reader = new CloudTrailReader(in, p.toString())) {
                for (CloudTrailEvent e = reader.next(); e != null; e = reader.next()) {
                    if (e.isKms()) {
                        kms.add(e.kms);
                    } else if (e.isNetworkChange()) {
                        changes.add(e.networkChange);
                    } else {
                        throw new AssertionError("the sample has no dead letters: " + e);
                    }
                }
            }
            if (!kms.isEmpty()) {
                files.add(kms);
            }
        }
    }

    /** The job file's section for the sample: defaults, and the backup path marked private. */
    static KmsParams params() {
        KmsParams p = new KmsParams();
        p.privatePrincipals.add("arn:aws:iam::111122223333:role/flowtrail-sample-backup");
        p.privateKeys.add(
                "arn:aws:kms:us-east-1:111122223333:key/8e3f1a2b-4c5d-4e6f-9a7b-0c1d2e3f4a5b");
        p.allowedVpcEndpoints.add(expected.path("kms_interface_endpoint").asText());
        p.allowedSourceCidrs.add(topology.path("vpc").path("cidr").asText());
        assertThat(p.validate()).isNull();
        return p;
    }

    /** The four KMS detectors in harnesses, fed as the pipeline feeds them. */
    static final class Detectors {
        final KmsParams p;
        final KmsFindings findings;
        final KeyedOneInputStreamOperatorTestHarness<String, KmsFinding, Alert> rules;
        final KeyedOneInputStreamOperatorTestHarness<String, KmsEvent, Alert> burst;
        final KeyedOneInputStreamOperatorTestHarness<String, KmsEvent, Alert> newPrincipal;
        final KeyedOneInputStreamOperatorTestHarness<String, KmsEvent, Alert> denied;

        Detectors(KmsParams p) throws Exception {
            this.p = p;
            findings = new KmsFindings(p);
            Duration suppress = JobSpec.parseDuration(p.suppressFor);
            rules =
                    ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                            new KmsRuleDetector(WINDOW, suppress),
                            new KmsRuleDetector.Key(),
                            Types.STRING);
            burst =
                    ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                            new DecryptBurstDetector(
                                    p, WINDOW, suppress, JobSpec.parseDuration(p.burstForgetAfter)),
                            new DecryptBurstDetector.Key(),
                            Types.STRING);
            newPrincipal =
                    ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                            new NewPrincipalDetector(
                                    p,
                                    WINDOW,
                                    JobSpec.parseDuration(p.newPrincipalWarmUp),
                                    JobSpec.parseDuration(p.newPrincipalRememberFor)),
                            new NewPrincipalDetector.Key(),
                            Types.STRING);
            denied =
                    ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                            new AccessDeniedBurstDetector(p, WINDOW, suppress),
                            new AccessDeniedBurstDetector.Key(),
                            Types.STRING);
        }

        void process(KmsEvent e) throws Exception {
            for (KmsFinding f : KmsFindings.of(e, p)) {
                rules.processElement(f, f.eventTimeMillis);
            }
            if (DecryptBurstDetector.counts(e, p)) {
                burst.processElement(e, e.eventTimeMillis);
            }
            if (NewPrincipalDetector.counts(e)) {
                newPrincipal.processElement(e, e.eventTimeMillis);
            }
            if (AccessDeniedBurstDetector.counts(e)) {
                denied.processElement(e, e.eventTimeMillis);
            }
        }

        void watermark(long t) throws Exception {
            rules.processWatermark(t);
            burst.processWatermark(t);
            newPrincipal.processWatermark(t);
            denied.processWatermark(t);
        }

        List<Alert> alerts() {
            List<Alert> all = new ArrayList<>();
            all.addAll(rules.extractOutputValues());
            all.addAll(burst.extractOutputValues());
            all.addAll(newPrincipal.extractOutputValues());
            all.addAll(denied.extractOutputValues());
            return all;
        }

        long stateEntries() {
            return rules.numKeyedStateEntries()
                    + burst.numKeyedStateEntries()
                    + newPrincipal.numKeyedStateEntries()
                    + denied.numKeyedStateEntries();
        }

        int timers() {
            return rules.numEventTimeTimers()
                    + burst.numEventTimeTimers()
                    + newPrincipal.numEventTimeTimers()
                    + denied.numEventTimeTimers();
        }
    }

    /**
     * STREAMING-like: the files in delivery order, the records of a file in file order, the
     * watermark 20 minutes behind the newest record after each file.
     */
    static Detectors streaming(KmsParams p) throws Exception {
        Detectors d = new Detectors(p);
        long newest = Long.MIN_VALUE;
        for (List<KmsEvent> file : files) {
            for (KmsEvent e : file) {
                d.process(e);
                newest = Math.max(newest, e.eventTimeMillis);
            }
            d.watermark(newest - BOUND.toMillis());
        }
        d.watermark(Long.MAX_VALUE);
        return d;
    }

    /** BATCH-like: every record, then the end of input. */
    static Detectors batch(KmsParams p) throws Exception {
        Detectors d = new Detectors(p);
        for (List<KmsEvent> file : files) {
            for (KmsEvent e : file) {
                d.process(e);
            }
        }
        d.watermark(Long.MAX_VALUE);
        return d;
    }

    static JsonNode flowIncident(String id) {
        for (JsonNode i : flowExpected.path("incidents")) {
            if (i.path("id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no flow incident " + id);
    }

    static JsonNode topologyInterface(String id) {
        for (JsonNode i : topology.path("interfaces")) {
            if (i.path("id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no interface " + id);
    }

    /** A flow alert as its detector raises it for a documented flow incident (5-minute window). */
    static Alert flowAlert(String id) {
        JsonNode i = flowIncident(id);
        long start = Instant.parse(i.path("window_start").asText()).toEpochMilli();
        Alert a =
                DetectorSupport.alert(
                        i.path("category").asText(),
                        i.path("detector").asText(),
                        i.path("entity").asText(),
                        start,
                        start + WINDOW.toMillis());
        a.accountId = flowExpected.path("account_id").asText();
        a.region = flowExpected.path("region").asText();
        a.interfaceId = i.path("entity").asText();
        a.dstAddr = i.path("dst_addr").asText(null);
        a.dstPort = i.path("dst_port").asInt(Alert.NO_PORT);
        a.observed = i.path("evidence").path("rejected_records").asDouble(Double.NaN);
        a.severity = "HIGH";
        a.title = id;
        String attribution = i.path("attribution").asText("sg:no-matching-rule");
        a.evidence = "{\"attribution\":[{\"value\":\"" + attribution + "\",\"count\":1}]}";
        return a;
    }

    /** The correlations, fed in event-time order with the watermark following. */
    static List<Alert> correlate(List<Alert> kmsAlerts) throws Exception {
        Duration within = JobSpec.parseDuration(new KmsParams().correlationWindow);
        KeyedOneInputStreamOperatorTestHarness<String, KeyUsageEgressInput, Alert> egress =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new KeyUsageEgressCorrelator(within, WINDOW),
                        new KeyUsageEgressInput.Key(),
                        Types.STRING);
        KeyedOneInputStreamOperatorTestHarness<String, ConfigChangeRejectsInput, Alert> config =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ConfigChangeRejectsCorrelator(within, WINDOW),
                        new ConfigChangeRejectsInput.Key(),
                        Types.STRING);

        List<KeyUsageEgressInput> egressInputs = new ArrayList<>();
        KeyUsageSignals signals = new KeyUsageSignals();
        for (Alert a : kmsAlerts) {
            signals.flatMap(
                    a,
                    new org.apache.flink.util.Collector<>() {
                        @Override
                        public void collect(KeyUsageEgressInput in) {
                            egressInputs.add(in);
                        }

                        @Override
                        public void close() {}
                    });
        }
        Alert unexpected = flowAlert("unexpected-egress-batch-b");
        String instance = topologyInterface(unexpected.interfaceId).path("instance_id").asText();
        egressInputs.add(KeyUsageEgressInput.egress(unexpected, instance));

        List<ConfigChangeRejectsInput> configInputs = new ArrayList<>();
        for (NetworkChangeEvent c : changes) {
            configInputs.addAll(ConfigChangeRejectsInput.ofChange(c));
        }
        for (String id : List.of("rejected-spike-db-a-nacl", "rejected-spike-web-a3")) {
            Alert spike = flowAlert(id);
            Set<String> groups = new TreeSet<>();
            topologyInterface(spike.interfaceId)
                    .path("security_groups")
                    .forEach(g -> groups.add(g.asText()));
            configInputs.addAll(ConfigChangeRejectsInput.ofSpike(spike, groups));
        }

        egressInputs.sort(Comparator.comparingLong(KeyUsageEgressInput::timestamp));
        for (KeyUsageEgressInput in : egressInputs) {
            egress.processElement(in, in.timestamp());
            egress.processWatermark(in.timestamp() - 1);
        }
        egress.processWatermark(Long.MAX_VALUE);
        configInputs.sort(Comparator.comparingLong(ConfigChangeRejectsInput::timestamp));
        for (ConfigChangeRejectsInput in : configInputs) {
            config.processElement(in, in.timestamp());
            config.processWatermark(in.timestamp() - 1);
        }
        config.processWatermark(Long.MAX_VALUE);

        assertThat(egress.numKeyedStateEntries()).isZero();
        assertThat(config.numKeyedStateEntries()).isZero();
        List<Alert> out = new ArrayList<>(egress.extractOutputValues());
        out.addAll(config.extractOutputValues());
        return out;
    }

    /** {@code category entity window_start window_end}, the entity as the incident names it. */
    static String describe(Alert a) throws IOException {
        JsonNode evidence = new ObjectMapper().readTree(a.evidence);
        String entity;
        switch (a.detector) {
            case "kms_key_destruction":
                entity = a.keyArn;
                break;
            case "kms_decrypt_burst":
            case "kms_access_denied_burst":
                entity = a.principalArn;
                break;
            case "key_usage_then_egress":
                entity = evidence.path("instance_id").asText();
                break;
            case "config_change_then_rejects":
                entity = evidence.path("resource_id").asText();
                break;
            default:
                entity = a.detector + " " + a.title;
        }
        return a.category
                + " "
                + entity
                + " "
                + DetectorSupport.iso(a.windowStart)
                + " "
                + DetectorSupport.iso(a.windowEnd);
    }

    static List<String> describe(List<Alert> alerts) throws IOException {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(describe(a));
        }
        return out;
    }

    static List<String> documented() {
        List<String> out = new ArrayList<>();
        for (JsonNode i : expected.path("incidents")) {
            String end = i.path("window_end").asText();
            if (i.path("detector").asText().equals("config_change_then_rejects")) {
                // rejected_traffic_spike reports the ongoing spike once, for its first window
                // (10:35-10:40); the incident's window is that alert's. The document gives the
                // span of the flow incident (to 10:50).
                end = Instant.parse(i.path("window_start").asText()).plus(WINDOW).toString();
            }
            out.add(
                    i.path("category").asText()
                            + " "
                            + i.path("entity").asText()
                            + " "
                            + Instant.parse(i.path("window_start").asText())
                            + " "
                            + Instant.parse(end));
        }
        return out;
    }

    @Test
    void raisesExactlyTheDocumentedIncidentsAndNothingElse() throws Exception {
        Detectors d = streaming(params());
        List<Alert> kms = d.alerts();
        List<Alert> all = new ArrayList<>(kms);
        all.addAll(correlate(kms));

        assertThat(documented()).hasSize(5);
        assertThat(describe(all)).containsExactlyInAnyOrderElementsOf(documented());
        assertThat(all).extracting(a -> a.alertId).doesNotHaveDuplicates();
        assertThat(d.stateEntries()).isZero();
        assertThat(d.timers()).isZero();
    }

    @Test
    void theAlertsCarryWhatTheIncidentsDocument() throws Exception {
        List<Alert> kms = streaming(params()).alerts();
        List<Alert> all = new ArrayList<>(kms);
        all.addAll(correlate(kms));
        Map<String, Alert> byDetector = new HashMap<>();
        for (Alert a : all) {
            byDetector.put(a.detector, a);
        }
        Map<String, JsonNode> incidents = new HashMap<>();
        for (JsonNode i : expected.path("incidents")) {
            incidents.put(i.path("id").asText(), i);
        }

        Alert deletion = byDetector.get("kms_key_destruction");
        JsonNode scheduled = incidents.get("kms-key-scheduled-for-deletion");
        assertThat(deletion.severity).isEqualTo("HIGH");
        assertThat(deletion.principalArn).isEqualTo(scheduled.path("principal_arn").asText());
        assertThat(deletion.srcAddr)
                .isEqualTo(scheduled.path("evidence").path("source_ip").asText());
        assertThat(deletion.title).contains("deletion scheduled in 7 days");
        assertThat(deletion.evidence)
                .contains(
                        "\"event_time\":\""
                                + scheduled.path("evidence").path("event_time").asText()
                                + "\"");

        Alert burst = byDetector.get("kms_decrypt_burst");
        JsonNode b = incidents.get("kms-decrypt-burst-batch-b");
        assertThat(burst.keyArn).isEqualTo(b.path("key_arn").asText());
        assertThat(burst.srcAddr).isEqualTo(b.path("evidence").path("source_ip").asText());
        assertThat(KeyUsageEgressInput.instanceIdOf(burst))
                .isEqualTo(b.path("instance_id").asText());
        assertThat(burst.evidence)
                .contains("\"session_calls\":" + b.path("evidence").path("decrypt_calls").asLong());
        assertThat(burst.observed).isEqualTo(402); // batch-b's 400 and batch-a's 2

        Alert denied = byDetector.get("kms_access_denied_burst");
        JsonNode c = incidents.get("kms-access-denied-burst-dev-user");
        assertThat(denied.observed).isEqualTo(c.path("evidence").path("access_denied").asLong());
        assertThat(denied.evidence)
                .contains("\"distinct_keys\":" + c.path("evidence").path("distinct_keys").asLong())
                .contains("{\"value\":\"Decrypt\",\"count\":24}")
                .contains("{\"value\":\"DescribeKey\",\"count\":16}");
        assertThat(denied.srcAddr).isEqualTo(c.path("evidence").path("source_ip").asText());

        Alert correlated = byDetector.get("key_usage_then_egress");
        JsonNode bb = incidents.get("kms-burst-then-egress-batch-b");
        assertThat(correlated.severity).isEqualTo("CRITICAL");
        assertThat(correlated.interfaceId).isEqualTo(bb.path("interface_id").asText());
        assertThat(correlated.principalArn).isEqualTo(bb.path("principal_arn").asText());
        assertThat(correlated.keyArn).isEqualTo(bb.path("key_arn").asText());
        assertThat(correlated.evidence).contains(burst.alertId);

        Alert nacl = byDetector.get("config_change_then_rejects");
        JsonNode dd = incidents.get("nacl-change-explains-db-a-rejects");
        assertThat(nacl.principalArn).isEqualTo(dd.path("principal_arn").asText());
        assertThat(nacl.evidence)
                .contains("\"event_name\":\"CreateNetworkAclEntry\"")
                .contains("\"rule_number\":90");
    }

    @Test
    void batchAndStreamingGiveTheSameAlerts() throws Exception {
        List<Alert> streaming = streaming(params()).alerts();
        List<Alert> batch = batch(params()).alerts();
        assertThat(streaming).hasSize(3);
        assertThat(TestKms.columns(batch))
                .containsExactlyInAnyOrderElementsOf(TestKms.columns(streaming));
        assertThat(TestKms.columns(correlate(batch)))
                .containsExactlyInAnyOrderElementsOf(TestKms.columns(correlate(streaming)));
    }

    @Test
    void noNewPrincipalEvenAfterAShortWarmUp() throws Exception {
        // With half an hour of warm-up every key is watched before 10:30; the principals that
        // use a key after that (batch-b's refused Decrypt on the doomed key, the developer's
        // refusals) do not use it.
        KmsParams p = params();
        p.newPrincipalWarmUp = "30m";
        Set<String> detectors = new HashSet<>();
        for (Alert a : streaming(p).alerts()) {
            detectors.add(a.detector);
        }
        assertThat(detectors)
                .containsExactlyInAnyOrder(
                        "kms_key_destruction", "kms_decrypt_burst", "kms_access_denied_burst");
    }

    @Test
    void everyRecordIsInTime() {
        // The 24 records delivered one file late are within the 20-minute bound: none is lost.
        long newest = Long.MIN_VALUE;
        long late = 0;
        for (List<KmsEvent> file : files) {
            long watermark = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - BOUND.toMillis();
            for (KmsEvent e : file) {
                long end =
                        DetectorSupport.windowStart(e.eventTimeMillis, WINDOW.toMillis())
                                + WINDOW.toMillis()
                                - 1;
                if (end <= watermark) {
                    late++;
                }
            }
            for (KmsEvent e : file) {
                newest = Math.max(newest, e.eventTimeMillis);
            }
        }
        assertThat(late).isZero();
        assertThat(files.stream().mapToLong(List::size).sum())
                .isEqualTo(expected.path("totals").path("kms_events").asLong());
    }
}
