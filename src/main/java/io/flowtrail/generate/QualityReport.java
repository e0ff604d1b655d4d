package io.flowtrail.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The detection-quality table of {@code bench/quality.sh}: {@code java -cp flowtrail.jar
 * io.flowtrail.generate.QualityReport LABELS.json ALERTS.jsonl [OUT.md]}. Prints the Markdown of
 * {@link Scorer#markdown} and writes it to {@code OUT.md} when given. Exit code 0, or 2 on bad
 * arguments.
 */
public final class QualityReport {
    private QualityReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println(
                    "usage: QualityReport LABELS.json ALERTS.jsonl [OUT.md]  (alerts as written by"
                            + " replay --alerts-jsonl)");
            System.exit(2);
        }
        Labels labels = Labels.read(Path.of(args[0]));
        Scorer.Result r = Scorer.score(labels, Scorer.readAlerts(Path.of(args[1])));
        String md = Scorer.markdown(r);
        System.out.print(md);
        if (args.length == 3) {
            Files.writeString(Path.of(args[2]), md);
        }
    }
}
