package io.flowtrail.cli;

import io.flowtrail.config.ConfigTimeline;
import io.flowtrail.config.Explanation;
import io.flowtrail.config.FlowEvaluator;
import io.flowtrail.model.FlowRecord;
import io.flowtrail.parse.ConfigSnapshotReader;
import io.flowtrail.parse.FlowLineParser;
import io.flowtrail.parse.FlowLogFormat;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code explain}: why one flow record is allowed or rejected, rule by rule. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluates one flow-log record against the network configuration in force at its start"
                    + " time and prints, rule by rule, the network-ACL entries checked in order and the"
                    + " one that decided, the security-group rules that matched, the snapshot used and"
                    + " the verdict.",
            "Exit codes: 0 explained, 2 bad usage, an invalid record or invalid config files."
        })
public final class ExplainCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "PATH",
            description = "Snapshot folders (as for replay --config). Repeatable.")
    List<File> config = new ArrayList<>();

    @Option(
            names = "--flow",
            required = true,
            paramLabel = "RECORD",
            description = "One flow-log record, as a line of the flow log (quote it).")
    String flow;

    @Option(
            names = "--flow-format",
            paramLabel = "FORMAT",
            description =
                    "The record's format, ${field} or plain form (default: the version-2 format).")
    String flowFormat;

    @Spec CommandSpec commandSpec;

    @Override
    public Integer call() {
        PrintWriter out = commandSpec.commandLine().getOut();
        FlowLogFormat format;
        try {
            format = flowFormat == null ? FlowLogFormat.DEFAULT : FlowLogFormat.parse(flowFormat);
        } catch (IllegalArgumentException e) {
            throw new UserError("--flow-format: " + e.getMessage());
        }
        if (!format.unknownNames().isEmpty()) {
            throw new UserError("--flow-format: unknown flow-log fields " + format.unknownNames());
        }
        byte[] line = flow.trim().getBytes(StandardCharsets.UTF_8);
        FlowRecord r = new FlowRecord();
        String problem = new FlowLineParser(format).parse(line, 0, line.length, r);
        if (problem != null) {
            throw new UserError("--flow: not a record of the format " + format + ": " + problem);
        }
        if (r.start == FlowRecord.ABSENT) {
            throw new UserError(
                    "--flow: the record has no start time, so no snapshot can be chosen");
        }
        List<Path> paths = new ArrayList<>();
        for (File f : config) {
            if (!f.exists()) {
                throw new UserError(f + ": config path not found");
            }
            paths.add(f.toPath());
        }
        ConfigTimeline timeline = ConfigSnapshotReader.read(paths);
        Explanation trace = new Explanation();
        FlowEvaluator.over(timeline).evaluate(r, trace);
        for (String l : trace.lines()) {
            out.println(l);
        }
        out.flush();
        return 0;
    }
}
