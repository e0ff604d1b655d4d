package io.flowtrail.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code labels.json}: what a generated set holds (options, counts) and its labelled incidents,
 * each with category, detector, entity, related keys and time range ({@code window_end} exclusive;
 * equal to {@code window_start} for a configuration change, which takes effect at an instant).
 */
public final class Labels {
    public static final String FILE = "labels.json";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One labelled incident. */
    public record Label(
            String id,
            String category,
            String detector,
            String entityType,
            String entity,
            List<String> related,
            Instant start,
            Instant end,
            long records) {}

    public final List<Label> labels;
    public final long flowRecords;
    public final long incidentRecords;
    public final JsonNode root;

    private Labels(JsonNode root) {
        this.root = root;
        List<Label> list = new ArrayList<>();
        for (JsonNode i : root.path("incidents")) {
            List<String> related = new ArrayList<>();
            i.path("related").forEach(r -> related.add(r.asText()));
            list.add(
                    new Label(
                            i.path("id").asText(),
                            i.path("category").asText(),
                            i.path("detector").asText(),
                            i.path("entity_type").asText(),
                            i.path("entity").asText(),
                            related,
                            Instant.parse(i.path("window_start").asText()),
                            Instant.parse(i.path("window_end").asText()),
                            i.path("records").asLong()));
        }
        labels = List.copyOf(list);
        flowRecords = root.path("counts").path("flow_records").asLong();
        incidentRecords = root.path("counts").path("incident_records").asLong();
    }

    public long benignRecords() {
        return flowRecords - incidentRecords;
    }

    public static Labels read(Path file) {
        try {
            return new Labels(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the labels", e);
        }
    }

    private static ObjectNode label(
            ArrayNode list, Incident i, String id, String category, String detector) {
        ObjectNode n = list.addObject();
        n.put("id", id);
        n.put("category", category);
        n.put("detector", detector);
        n.put("entity_type", i.kind.entityType);
        n.put("entity", i.entity);
        ArrayNode related = n.putArray("related");
        i.related.forEach(related::add);
        n.put("window_start", Instant.ofEpochSecond(i.labelStart()).toString());
        n.put("window_end", Instant.ofEpochSecond(i.labelEnd()).toString());
        n.put("source", i.kind.source.name().toLowerCase(java.util.Locale.ROOT));
        n.put(
                "records",
                i.kind.source == IncidentKind.Source.CLOUDTRAIL ? i.trailRecords : i.records);
        ObjectNode evidence = n.putObject("evidence");
        for (Map.Entry<String, Object> e : i.evidence.entrySet()) {
            evidence.set(e.getKey(), JSON.valueToTree(e.getValue()));
        }
        return n;
    }

    static void write(
            Path file,
            GeneratorOptions o,
            Topology topo,
            FlowLogWriter.Counts flows,
            CloudTrailWriter.Counts trail,
            int snapshots,
            List<Incident> incidents) {
        ObjectNode root = JSON.createObjectNode();
        root.put("generator", "flowtrail generate");
        ObjectNode opts = root.putObject("options");
        opts.put("seed", o.seed);
        opts.put("records", o.records);
        opts.put("interfaces", o.interfaces());
        opts.put("start", o.start.toString());
        opts.put("hours", o.hours);
        opts.put("format", o.format.name().toLowerCase(java.util.Locale.ROOT));
        opts.put("gzip", o.gzip);
        opts.put("incidents", o.incidents);
        opts.put("cloudtrail_records", o.cloudTrailRecords());
        ObjectNode range = root.putObject("time_range");
        range.put("start", o.start.toString());
        range.put("end", o.start.plusSeconds(3600L * o.hours).toString());
        ObjectNode c = root.putObject("counts");
        c.put("flow_records", flows.records);
        c.put("benign_records", flows.records - flows.incident);
        c.put("incident_records", flows.incident);
        c.put("ok", flows.ok);
        c.put("reject", flows.rejects);
        c.put("ipv6", flows.ipv6);
        c.put("nodata", flows.nodata);
        c.put("skipdata", flows.skipdata);
        c.put("late", flows.late);
        c.put("flow_log_files", flows.files);
        c.put("text_bytes", flows.textBytes);
        c.put("file_bytes", flows.fileBytes);
        ObjectNode byLog = c.putObject("by_flow_log");
        for (int log = 0; log < 2; log++) {
            if (topo.flowLogUsed[log]) {
                byLog.put(topo.flowLogIds[log], flows.perLog[log]);
            }
        }
        c.put("cloudtrail_records", trail.records);
        c.put("cloudtrail_kms_events", trail.kms);
        c.put("cloudtrail_incident_records", trail.incident);
        c.put("cloudtrail_files", trail.files);
        c.put("config_snapshots", snapshots);
        c.put("vpcs", topo.vpcs.size());
        c.put("interfaces", topo.enis.length);
        c.put("public_interfaces", topo.publicCount());
        ArrayNode list = root.putArray("incidents");
        for (Incident i : incidents) {
            if (i.kind == IncidentKind.KEY_USAGE_THEN_EGRESS) {
                // Three labels: the correlation, and each of the two alerts it correlates.
                ObjectNode burst =
                        label(
                                list,
                                i,
                                i.id() + "-burst",
                                "anomalous_key_usage",
                                "kms_decrypt_burst");
                burst.put("entity_type", "principal_arn");
                burst.put("entity", i.principalArn);
                burst.putArray("related").add(i.session).add(i.keyArn);
                burst.put("window_end", Instant.ofEpochSecond(i.windowStart + 300).toString());
                burst.put("records", i.trailRecords);
                ObjectNode egress =
                        label(
                                list,
                                i,
                                i.id() + "-egress",
                                "unexpected_egress",
                                "new_external_destination");
                egress.put("entity_type", "interface_id");
                egress.put("entity", i.target.id);
                egress.putArray("related")
                        .add(i.session)
                        .add(Ip.v4Text(i.target.v4))
                        .add(Ip.v4Text(i.destinationV4));
                egress.put("window_start", Instant.ofEpochSecond(i.windowStart + 300).toString());
            }
            label(list, i, i.id(), i.kind.category, i.kind.detector());
        }
        try {
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write", e);
        }
    }
}
