package io.flowtrail.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The sample-logs flow logs as Kafka messages, the way they arrive in production: the
 * default-format flow log one record per message (lines shuffled within each five-minute object,
 * which stays inside the watermark bound), the version-5 flow log as whole objects with their
 * header, the CloudWatch Logs payload as the gzip bytes Firehose wrote. In object-time order.
 */
public final class SampleLogMessages {
    /**
     * A message, the interface it is about (the key; null for whole-object messages), and the time
     * in the name of the object it came from ({@code 20261102T1005Z}).
     */
    public record Message(String key, byte[] value, String objectTime) {}

    /**
     * A default-format record far after the sample hour (11:20) for an interface of nobody: it
     * moves the watermark past every window of the sample, so that a streaming job closes them.
     */
    public static byte[] watermarkPusher() {
        return "2 111122223333 eni-0ffffffffffffffff 10.99.0.1 10.99.0.2 40000 443 6 1 60 1793618400 1793618401 ACCEPT OK"
                .getBytes(StandardCharsets.UTF_8);
    }

    private SampleLogMessages() {}

    public static List<Message> all(long seed) throws IOException {
        Path root = SampleLogs.DIR.resolve("flow-logs");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .sorted(Comparator.comparing(SampleLogMessages::nameTime))
                            .toList();
        }
        Random random = new Random(seed);
        List<Message> out = new ArrayList<>();
        for (Path f : files) {
            String rel = root.relativize(f).toString();
            byte[] raw = Files.readAllBytes(f);
            if (rel.startsWith("default/")) {
                String text = gunzip(raw);
                List<String> lines = new ArrayList<>(List.of(text.split("\n")));
                lines.remove(0); // the header: one record per message carries none
                Collections.shuffle(lines, random);
                for (String line : lines) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] fields = line.split(" ");
                    String key = fields.length > 2 ? fields[2] : "";
                    out.add(new Message(key, line.getBytes(StandardCharsets.UTF_8), nameTime(f)));
                }
            } else {
                out.add(new Message(null, raw, nameTime(f)));
            }
        }
        return out;
    }

    /** Sorts object files by the time in their names (what S3 delivery order approximates). */
    private static String nameTime(Path p) {
        String n = p.getFileName().toString();
        int t = n.indexOf("T1");
        if (n.contains("_2026") && t > 0) {
            return n.substring(n.indexOf("_2026") + 1, n.indexOf("_2026") + 15);
        }
        // Firehose name: ...-2026-11-02-10-01-37-...
        int i = n.indexOf("-2026-");
        return i >= 0
                ? n.substring(i + 1, i + 11).replace("-", "")
                        + "T"
                        + n.substring(i + 12, i + 17).replace("-", "")
                        + "Z"
                : n;
    }

    private static String gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
