package io.flowtrail.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.config.ConfigSnapshot;
import io.flowtrail.config.ConfigTimeline;
import io.flowtrail.config.PostureChecks;
import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.model.IpAddresses;
import io.flowtrail.parse.CloudTrailReader;
import io.flowtrail.parse.ConfigSnapshotReader;
import io.flowtrail.parse.FlowLogFormat;
import io.flowtrail.parse.FlowLogReader;
import io.flowtrail.parse.FlowLogReaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small generated set read back with Flowtrail's own readers: the counts in labels.json are the
 * records in the files, every line parses, the shape is as promised (REJECT share, IPv6, both sides
 * of internal connections, objects holding their five minutes), the configuration and CloudTrail
 * read cleanly, and every incident kind is labelled.
 */
class GeneratorTest {
    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
    static final long RECORDS = 30_000;

    @TempDir static Path dir;

    static Labels labels;
    static final List<Line> lines = new ArrayList<>();
    static long deadLetters;

    /** What the tests need of one record, and where it was. */
    record Line(
            String file,
            String interfaceId,
            String src,
            String dst,
            int srcPort,
            int dstPort,
            int protocol,
            long start,
            boolean ok,
            boolean reject,
            boolean v6,
            byte direction) {}

    static GeneratorOptions options(Path out, long seed) {
        GeneratorOptions o = new GeneratorOptions();
        o.out = out;
        o.records = RECORDS;
        o.interfaces = 80;
        o.seed = seed;
        o.start = T0;
        o.hours = 3;
        o.format = GeneratorOptions.Format.BOTH;
        o.gzip = true;
        o.incidents = "all";
        return o;
    }

    @BeforeAll
    static void generateAndReadBack() throws IOException {
        Generator.run(options(dir, 7));
        labels = Labels.read(dir.resolve(Labels.FILE));
        for (Path file : files(dir.resolve("flow-logs"))) {
            try (FlowLogReader reader = FlowLogReaders.open(file, FlowLogFormat.DEFAULT)) {
                FlowRecord r;
                while ((r = reader.next()) != null) {
                    if (r.isDeadLetter()) {
                        deadLetters++;
                        continue;
                    }
                    boolean ok = r.logStatus == FlowRecord.STATUS_OK;
                    lines.add(
                            new Line(
                                    file.getFileName().toString(),
                                    r.interfaceId,
                                    ok ? IpAddresses.format(r.srcFamily, r.srcHi, r.srcLo) : null,
                                    ok ? IpAddresses.format(r.dstFamily, r.dstHi, r.dstLo) : null,
                                    r.srcPort,
                                    r.dstPort,
                                    r.protocol,
                                    r.start,
                                    ok,
                                    r.action == FlowRecord.ACTION_REJECT,
                                    r.srcFamily == IpAddresses.V6,
                                    r.flowDirection));
                }
            }
        }
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOtherBytes(@TempDir Path other)
            throws IOException {
        Path again = other.resolve("again");
        Path reseeded = other.resolve("reseeded");
        Generator.run(options(again, 7));
        Generator.run(options(reseeded, 8));

        List<Path> first = files(dir);
        List<Path> second = files(again);
        assertThat(second.stream().map(p -> again.relativize(p).toString()))
                .containsExactlyElementsOf(
                        first.stream().map(p -> dir.relativize(p).toString()).toList());
        for (int i = 0; i < first.size(); i++) {
            assertThat(Files.readAllBytes(second.get(i)))
                    .as(second.get(i).toString())
                    .isEqualTo(Files.readAllBytes(first.get(i)));
        }
        Path someObject =
                files(dir.resolve("flow-logs/default")).get(3); // same name, different records
        Path sameName = reseeded.resolve(dir.relativize(someObject).toString());
        assertThat(Files.exists(sameName) ? Files.readAllBytes(sameName) : new byte[0])
                .isNotEqualTo(Files.readAllBytes(someObject));
    }

    @Test
    void everyLineParsesAndTheCountsAreTheFiles() {
        assertThat(deadLetters).isZero();
        assertThat(lines).hasSize((int) RECORDS);
        assertThat(labels.flowRecords).isEqualTo(RECORDS);
        var counts = labels.root.path("counts");
        assertThat(lines.stream().filter(Line::reject).count())
                .isEqualTo(counts.path("reject").asLong());
        assertThat(lines.stream().filter(l -> l.ok() && l.v6()).count())
                .isEqualTo(counts.path("ipv6").asLong());
        assertThat(lines.stream().filter(l -> !l.ok()).count())
                .isEqualTo(counts.path("nodata").asLong() + counts.path("skipdata").asLong());
        long incident = 0;
        for (Labels.Label l : labels.labels) {
            if (l.category().equals("port_scan")
                    || l.category().equals("rejected_traffic_spike")
                    || l.category().equals("unexpected_egress")) {
                assertThat(l.records()).as(l.id()).isPositive();
                incident += l.records();
            }
        }
        assertThat(incident).isEqualTo(labels.incidentRecords);
        long v5 = lines.stream().filter(l -> l.file().contains("fl-0a1b2c3d4e5f60002")).count();
        assertThat(counts.path("by_flow_log").path("fl-0a1b2c3d4e5f60002").asLong()).isEqualTo(v5);
        assertThat(v5).isBetween(RECORDS / 10, RECORDS / 2);
    }

    @Test
    void theShapeIsRealistic() {
        long ok = lines.stream().filter(Line::ok).count();
        double rejectShare = lines.stream().filter(Line::reject).count() / (double) ok;
        double v6Share = lines.stream().filter(l -> l.ok() && l.v6()).count() / (double) ok;
        assertThat(rejectShare).isBetween(0.05, 0.10);
        assertThat(v6Share).isBetween(0.01, 0.15);
        assertThat(lines.stream().map(Line::interfaceId).distinct().count()).isEqualTo(80);
        // Heavy-tailed talkers: the busiest tenth of the interfaces has far more than a tenth.
        Map<String, Long> perInterface =
                lines.stream()
                        .collect(Collectors.groupingBy(Line::interfaceId, Collectors.counting()));
        List<Long> sorted =
                perInterface.values().stream().sorted((a, b) -> Long.compare(b, a)).toList();
        long top = sorted.subList(0, 8).stream().mapToLong(Long::longValue).sum();
        assertThat(top / (double) RECORDS).isGreaterThan(0.3);
        // Clients use ephemeral ports towards service ports.
        assertThat(
                        lines.stream()
                                .filter(l -> l.ok() && !l.reject() && l.dstPort() == 5432)
                                .allMatch(l -> l.srcPort() >= 32768 && l.srcPort() <= 60999))
                .isTrue();
    }

    @Test
    void eachObjectHoldsItsFiveMinutesAndAFewLateRecordsOfThePrevious() {
        Pattern stamp = Pattern.compile("_(\\d{8}T\\d{4}Z)_");
        long late = 0;
        for (Line l : lines) {
            Matcher m = stamp.matcher(l.file());
            assertThat(m.find()).isTrue();
            String s = m.group(1);
            long from =
                    Instant.parse(
                                    s.substring(0, 4)
                                            + "-"
                                            + s.substring(4, 6)
                                            + "-"
                                            + s.substring(6, 8)
                                            + "T"
                                            + s.substring(9, 11)
                                            + ":"
                                            + s.substring(11, 13)
                                            + ":00Z")
                            .getEpochSecond();
            assertThat(l.start()).isBetween(from - 300, from + 299);
            if (l.start() < from) {
                late++;
            }
        }
        assertThat(late).isEqualTo(labels.root.path("counts").path("late").asLong());
        assertThat(late / (double) RECORDS).isBetween(0.005, 0.05);
    }

    @Test
    void connectionsBetweenTwoInterfacesAreRecordedOnBothSides() throws IOException {
        Set<String> addresses = interfaceAddresses();
        Map<String, Set<String>> sides = new HashMap<>();
        for (Line l : lines) {
            if (l.ok() && addresses.contains(l.src()) && addresses.contains(l.dst())) {
                String key =
                        l.src()
                                + " "
                                + l.dst()
                                + " "
                                + l.srcPort()
                                + " "
                                + l.dstPort()
                                + " "
                                + l.protocol()
                                + " "
                                + l.start() / 60;
                sides.computeIfAbsent(key, k -> new HashSet<>()).add(l.interfaceId());
            }
        }
        assertThat(sides).hasSizeGreaterThan(1000);
        assertThat(sides.values().stream().filter(s -> s.size() == 2).count())
                .isEqualTo(sides.size());
    }

    /** Private addresses of every interface except NAT gateways (which translate, see below). */
    static Set<String> interfaceAddresses() throws IOException {
        ConfigTimeline t = ConfigSnapshotReader.read(dir.resolve("config"));
        Set<String> out = new HashSet<>();
        for (var eni : t.indexAt(T0.toEpochMilli()).networkInterfaces()) {
            if ("nat_gateway".equals(eni.interfaceType())) {
                continue;
            }
            eni.privateIpv4Addresses().forEach(a -> out.add(a.toString()));
            eni.ipv6Addresses().forEach(a -> out.add(a.toString()));
        }
        return out;
    }

    @Test
    void theConfigurationReadsAndTheBaselineHasNoPostureFinding() {
        ConfigTimeline t = ConfigSnapshotReader.read(dir.resolve("config"));
        List<ConfigSnapshot> versions = t.versions();
        // The baseline and one snapshot per configuration incident.
        assertThat(versions).hasSize(1 + 5);
        assertThat(versions.get(0).effectiveFromMillis())
                .isEqualTo(T0.minusSeconds(3600).toEpochMilli());
        long baseline = versions.get(0).effectiveFromMillis();
        assertThat(PostureChecks.findings(t.indexAt(baseline), baseline)).isEmpty();
        long last = versions.get(versions.size() - 1).effectiveFromMillis();
        assertThat(PostureChecks.findings(t.indexAt(last), last))
                .extracting(a -> a.detector)
                .containsExactlyInAnyOrder(
                        "sg_open_admin_port",
                        "sg_open_all_ports",
                        "sg_missing_reference",
                        "nacl_shadowed_rule",
                        "peering_cidr_overlap");
    }

    @Test
    void cloudTrailReadsCleanlyWithTheKmsIncidents() throws IOException {
        long kms = 0;
        long dead = 0;
        long denied = 0;
        long deletions = 0;
        for (Path file : files(dir.resolve("cloudtrail"))) {
            try (InputStream in = Files.newInputStream(file);
                    CloudTrailReader reader = new CloudTrailReader(in, file.toString())) {
                CloudTrailEvent e;
                while ((e = reader.next()) != null) {
                    if (e.isDeadLetter()) {
                        dead++;
                    } else if (e.isKms()) {
                        kms++;
                        if ("AccessDenied".equals(e.kms.errorCode)) {
                            denied++;
                        }
                        if ("ScheduleKeyDeletion".equals(e.kms.eventName)) {
                            deletions++;
                        }
                    }
                }
            }
        }
        assertThat(dead).isZero();
        assertThat(kms)
                .isEqualTo(labels.root.path("counts").path("cloudtrail_kms_events").asLong());
        assertThat(denied).isEqualTo(40);
        assertThat(deletions).isEqualTo(1);
    }

    @Test
    void everyIncidentKindIsLabelledInsideTheRange() {
        Set<IncidentKind> kinds = EnumSet.noneOf(IncidentKind.class);
        for (Labels.Label l : labels.labels) {
            IncidentKind k = IncidentKind.byDetector(l.detector());
            assertThat(k).as(l.detector()).isNotNull();
            kinds.add(k);
            assertThat(l.category()).isEqualTo(k.category);
            assertThat(l.entity()).isNotBlank();
            assertThat(l.start()).isAfterOrEqualTo(T0.plusSeconds(3600));
            assertThat(l.end()).isBefore(T0.plusSeconds(3 * 3600));
        }
        assertThat(kinds).isEqualTo(EnumSet.allOf(IncidentKind.class));
        assertThat(labels.labels.stream().map(Labels.Label::id).distinct().count())
                .isEqualTo(labels.labels.size());
        // The correlated incident is labelled with the two alerts it correlates.
        assertThat(labels.labels)
                .filteredOn(l -> l.id().startsWith("key-usage-then-egress-1"))
                .extracting(Labels.Label::category)
                .containsExactlyInAnyOrder(
                        "correlated_incident", "anomalous_key_usage", "unexpected_egress");
    }
}
