package io.flowtrail.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The repository's {@code sample-logs/} and the facts its generator wrote in expected.json. */
public final class SampleLogs {
    public static final Path DIR = Path.of("sample-logs").toAbsolutePath();

    private SampleLogs() {}

    public static JsonNode expectedCloudTrail() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("expected_cloudtrail.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
