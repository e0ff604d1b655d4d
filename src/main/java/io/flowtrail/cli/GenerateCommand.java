package io.flowtrail.cli;

import io.flowtrail.generate.Generator;
import io.flowtrail.generate.GeneratorOptions;
import io.flowtrail.generate.Labels;
import io.flowtrail.job.Folders;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code generate}: deterministic synthetic input with labelled incidents, at any scale. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes synthetic input laid out like sample-logs/ under --out: flow-logs/ (S3 objects,"
                    + " one per flow log and five minutes, header line first), cloudtrail/ (KMS"
                    + " usage as S3 Records files), config/ (describe-* snapshots), and"
                    + " labels.json (the incidents injected: category, detector, entity, time range;"
                    + " and the counts). The same options give the same bytes.",
            "The network: VPCs of up to 6,000 interfaces in public, app and data subnets of two"
                    + " zones (NAT gateways, load balancers, internet-facing hosts, web, batch,"
                    + " databases, caches, resolvers, monitoring, backup), heavy-tailed talkers, a"
                    + " daily rhythm, NAT'd egress, ephemeral ports, IPv6, a record on both sides of"
                    + " each connection, 5-10%% REJECT (mostly background probes from the internet).",
            "Exit codes: 0 done, 2 bad usage, 1 failure while writing."
        })
public final class GenerateCommand implements Callable<Integer> {
    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output folder (replay it with: replay DIR --out OUT).")
    File out;

    @Option(
            names = "--records",
            paramLabel = "N",
            description =
                    "Flow-log records to write, incidents included (default: ${DEFAULT-VALUE}).")
    long records = 1_000_000;

    @Option(
            names = "--interfaces",
            paramLabel = "N",
            description =
                    "Network interfaces, 30 to 200,000 (default: one per 5,000 records a day,"
                            + " 60 to 50,000). Fewer interfaces for the same records make each"
                            + " one busier.")
    int interfaces;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 20261128L;

    @Option(
            names = "--start",
            paramLabel = "ISO",
            description =
                    "Start of the time range, a UTC instant on a five-minute boundary (default:"
                            + " ${DEFAULT-VALUE}).")
    String start = "2026-11-02T00:00:00Z";

    @Option(
            names = "--hours",
            paramLabel = "H",
            description = "Length of the time range in hours (default: ${DEFAULT-VALUE}).")
    int hours = 24;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description =
                    "Flow-log formats: default (every interface in one version-2 log), v5 (one"
                            + " version-5 custom-format log) or both (as sample-logs/: public and"
                            + " app subnets in a default log, data subnets and NAT gateways in a"
                            + " version-5 log; the default).")
    String format = "both";

    @Option(names = "--gzip", description = "Gzip the flow-log objects (.log.gz; the default).")
    boolean gzip;

    @Option(names = "--plain", description = "Plain-text flow-log objects (.log) instead of gzip.")
    boolean plain;

    @Option(
            names = "--incidents",
            paramLabel = "LIST",
            description = {
                "Incidents to inject, comma-separated NAME[*N][@TIME] (default: ${DEFAULT-VALUE}).",
                "NAME: all, none, flow, config, cloudtrail, a category (port_scan,"
                        + " rejected_traffic_spike, unexpected_egress, config_posture,"
                        + " anomalous_key_usage) or a detector (vertical_port_scan,"
                        + " horizontal_port_scan, reject_spike, new_external_destination,"
                        + " egress_volume_spike, sg_open_admin_port, sg_open_all_ports,"
                        + " sg_missing_reference, nacl_shadowed_rule, peering_cidr_overlap,"
                        + " key_deletion_scheduled, decrypt_volume_spike, access_denied_burst).",
                "*N: N of each. @TIME: an ISO instant or an offset from --start (+90m, +2h,"
                        + " +1h30m). Without @TIME, incidents are spread evenly from one hour"
                        + " after the start (the detectors' warm-up) to the end.",
                "Example: all*3 or port_scan@+2h,reject_spike*2"
            })
    String incidents = "all";

    @Option(
            names = "--cloudtrail-records",
            paramLabel = "N",
            description =
                    "CloudTrail records (default: one per 400 flow records, at least 300; 0 for"
                            + " none but the incidents' and the steady sessions').")
    long cloudTrailRecords = -1;

    @Option(
            names = "--overwrite",
            description = "Delete flow-logs/, cloudtrail/, config/ and labels.json in --out first.")
    boolean overwrite;

    @Spec CommandSpec commandSpec;

    @Override
    public Integer call() throws IOException {
        GeneratorOptions o = new GeneratorOptions();
        o.out = out.toPath().toAbsolutePath();
        o.records = records;
        o.interfaces = interfaces;
        o.seed = seed;
        try {
            o.start = Instant.parse(start);
        } catch (DateTimeParseException e) {
            throw new UserError(
                    "--start: expected a UTC instant like 2026-11-02T00:00:00Z, got '"
                            + start
                            + "'");
        }
        o.hours = hours;
        try {
            o.format = GeneratorOptions.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--format: expected default, v5 or both, got '" + format + "'");
        }
        if (gzip && plain) {
            throw new UserError("--gzip and --plain: choose one");
        }
        o.gzip = !plain;
        o.incidents = incidents;
        o.cloudTrailRecords = cloudTrailRecords;
        prepare(o.out);
        Generator.Result r;
        try {
            o.validate();
            r = Generator.run(o);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter w = commandSpec.commandLine().getOut();
        w.printf("flowtrail generate: done in %.1f s%n", r.seconds);
        w.printf(
                "  flow records        %,14d  (%,.0f records/s)%n",
                r.flowRecords, r.flowRecords / Math.max(1e-9, r.seconds));
        w.printf("  incident records    %,14d%n", r.incidentRecords);
        w.printf(
                "  REJECT              %,14d  (%.1f%%)%n",
                r.rejects, 100.0 * r.rejects / r.flowRecords);
        w.printf("  IPv6                %,14d  (%.1f%%)%n", r.ipv6, 100.0 * r.ipv6 / r.flowRecords);
        w.printf(
                "  flow-log objects    %,14d  (%,d MB of text, %,d MB on disk)%n",
                r.flowLogFiles, r.textBytes >> 20, r.fileBytes >> 20);
        w.printf("  interfaces          %,14d%n", r.interfaces);
        w.printf("  cloudtrail records  %,14d%n", r.cloudTrailRecords);
        w.printf("  config snapshots    %,14d%n", r.configSnapshots);
        w.printf("  incidents           %,14d  -> %s%n", r.incidents, o.out.resolve(Labels.FILE));
        w.flush();
        return 0;
    }

    private void prepare(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError(dir + ": --out is a file, expected a folder");
        }
        List<String> ours = List.of("flow-logs", "cloudtrail", "config", Labels.FILE);
        for (String name : ours) {
            Path p = dir.resolve(name);
            if (!Files.exists(p)) {
                continue;
            }
            if (!overwrite) {
                throw new UserError(
                        p + ": already exists; choose another --out or add --overwrite");
            }
            Folders.delete(p);
        }
        Files.createDirectories(dir);
    }
}
