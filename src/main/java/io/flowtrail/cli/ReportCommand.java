package io.flowtrail.cli;

import io.flowtrail.report.HtmlReport;
import io.flowtrail.report.ReportData;
import io.flowtrail.report.TerminalReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code report}: summarise an output folder for a person, in the terminal and as a page. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Summarises an output folder of replay or stream: the top alerts, rejected traffic"
                    + " over time, the busiest KMS keys. With --html, also writes a"
                    + " self-contained page (inline SVG charts, no network needed to view it).",
            "Exit codes: 0 done, 2 bad usage or not an output folder, 1 failure while running."
        })
public final class ReportCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "OUT",
            description = "An output folder (the --out of replay or stream).")
    File out;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "Also write the report as one HTML page to FILE.")
    File html;

    @Spec CommandSpec commandSpec;

    @Override
    public Integer call() throws IOException {
        if (!out.isDirectory()) {
            throw new UserError(out + ": output folder not found");
        }
        ReportData data = ReportData.read(out.toPath().toAbsolutePath().normalize());
        if (!data.isOutputFolder()) {
            throw new UserError(
                    out
                            + ": not a Flowtrail output folder (expected one of the table folders"
                            + " flow_summary, rejects, alerts, dead_letters, kms_usage)");
        }
        PrintWriter stdout = commandSpec.commandLine().getOut();
        TerminalReport.print(data, stdout);
        if (html != null) {
            Path page = html.toPath();
            if (page.getParent() != null) {
                Files.createDirectories(page.getParent());
            }
            Files.writeString(page, HtmlReport.render(data), StandardCharsets.UTF_8);
            stdout.println();
            stdout.printf("page: %s%n", page.toAbsolutePath());
        }
        stdout.flush();
        return 0;
    }
}
