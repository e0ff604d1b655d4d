package io.flowtrail.parse;

import static java.util.stream.Collectors.toList;

import io.flowtrail.model.CloudTrailEvent;
import io.flowtrail.model.DeadLetter;
import io.flowtrail.model.KmsEvent;
import io.flowtrail.model.NetworkChangeEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** CloudTrail fixtures, gzip, and whole-input reads for the CloudTrail tests. */
final class CloudTrailFiles {
    private CloudTrailFiles() {}

    /** A fixture beside the tests: {@code src/test/resources/io/flowtrail/parse/cloudtrail/}. */
    static Path fixture(String name) {
        URL url = CloudTrailFiles.class.getResource("cloudtrail/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture cloudtrail/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String fixture) {
        try {
            return Files.readAllBytes(fixture(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything one reader gives for one input, read to its end, with its counters. */
    record Read(
            List<CloudTrailEvent> all,
            long recordsRead,
            long otherEventsSkipped,
            long digestFilesSkipped,
            long controlMessagesSkipped,
            List<String> warnings) {
        List<KmsEvent> kms() {
            return all.stream().filter(CloudTrailEvent::isKms).map(e -> e.kms).collect(toList());
        }

        List<NetworkChangeEvent> networkChanges() {
            return all.stream()
                    .filter(CloudTrailEvent::isNetworkChange)
                    .map(e -> e.networkChange)
                    .collect(toList());
        }

        List<DeadLetter> deadLetters() {
            return all.stream()
                    .filter(CloudTrailEvent::isDeadLetter)
                    .map(e -> e.deadLetter)
                    .collect(toList());
        }

        KmsEvent onlyKms() {
            List<KmsEvent> kms = kms();
            if (kms.size() != 1 || all.size() != 1) {
                throw new AssertionError("expected exactly one KMS event, got " + all);
            }
            return kms.get(0);
        }
    }

    static Read read(Path file) throws IOException {
        return read(Files.newInputStream(file), file.toString());
    }

    static Read read(byte[] input, String location) throws IOException {
        return read(new ByteArrayInputStream(input), location);
    }

    static Read read(InputStream in, String location) throws IOException {
        try (CloudTrailReader reader = new CloudTrailReader(in, location)) {
            List<CloudTrailEvent> all = new ArrayList<>();
            for (CloudTrailEvent e = reader.next(); e != null; e = reader.next()) {
                all.add(e);
            }
            CloudTrailEvent after = reader.next();
            if (after != null) {
                throw new AssertionError("reader gave " + after + " after it had returned null");
            }
            return new Read(
                    all,
                    reader.recordsRead(),
                    reader.otherEventsSkipped(),
                    reader.digestFilesSkipped(),
                    reader.controlMessagesSkipped(),
                    List.copyOf(reader.warnings()));
        }
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Each part as its own gzip member, one after the other. */
    static byte[] gzipMembers(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(gzip(part));
        }
        return out.toByteArray();
    }
}
