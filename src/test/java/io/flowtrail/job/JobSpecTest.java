package io.flowtrail.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowtrail.parse.FlowLogField;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSpecTest {
    @TempDir Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("job.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void theShippedDefaultJobFileEqualsTheBuiltInDefaults() {
        JobSpec shipped = JobSpec.load(Path.of("jobs/default.yaml"));
        JobSpec builtIn = JobSpec.defaults();
        assertThat(shipped.window()).isEqualTo(builtIn.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(shipped.maxOutOfOrderness())
                .isEqualTo(builtIn.maxOutOfOrderness())
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(shipped.idleness()).isEqualTo(builtIn.idleness());
        assertThat(shipped.compression()).isEqualTo(CompressionCodecName.ZSTD);
        assertThat(shipped.writesRejects()).isEqualTo(builtIn.writesRejects()).isTrue();
        assertThat(shipped.parallelism()).isEqualTo(builtIn.parallelism());
        assertThat(shipped.fallbackFormat()).isEqualTo(builtIn.fallbackFormat());
    }

    @Test
    void anEmptyFileIsTheDefaultJob() throws IOException {
        JobSpec spec = JobSpec.load(write(""));
        assertThat(spec.window()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void readsEveryKey() throws IOException {
        JobSpec spec =
                JobSpec.load(
                        write(
                                "flow-logs:\n"
                                        + "  format: \"${version} ${srcaddr} ${start}\"\n"
                                        + "  window: 1m\n"
                                        + "  max-out-of-orderness: PT20M\n"
                                        + "  idleness: 0s\n"
                                        + "outputs:\n"
                                        + "  compression: snappy\n"
                                        + "  rejects: false\n"
                                        + "execution:\n"
                                        + "  parallelism: 4\n"
                                        + "  checkpoint-interval: 500ms\n"));
        assertThat(spec.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(spec.maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(20));
        assertThat(spec.idleness()).isZero();
        assertThat(spec.compression()).isEqualTo(CompressionCodecName.SNAPPY);
        assertThat(spec.writesRejects()).isFalse();
        assertThat(spec.parallelism()).isEqualTo(4);
        assertThat(spec.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(spec.fallbackFormat().size()).isEqualTo(3);
        assertThat(spec.fallbackFormat().field(1)).isEqualTo(FlowLogField.SRCADDR);
    }

    @Test
    void anUnknownKeyIsNamedWithWhatWasExpected() throws IOException {
        Path f = write("flow-logs:\n  windw: 5m\n");
        assertThatThrownBy(() -> JobSpec.load(f))
                .isInstanceOf(JobSpec.InvalidJobFile.class)
                .hasMessageStartingWith(f + ": unknown key 'flow-logs.windw'")
                .hasMessageContaining("window");
    }

    @Test
    void aBadDurationIsNamed() throws IOException {
        Path f = write("flow-logs:\n  window: five minutes\n");
        assertThatThrownBy(() -> JobSpec.load(f))
                .hasMessage(
                        f
                                + ": key 'flow-logs.window': expected a duration such as 30s, 5m or"
                                + " PT5M, got 'five minutes'");
    }

    @Test
    void aBadTypeIsNamed() throws IOException {
        Path f = write("execution:\n  parallelism: many\n");
        assertThatThrownBy(() -> JobSpec.load(f))
                .hasMessageStartingWith(f + ": key 'execution.parallelism': ");
    }

    @Test
    void aRejectsSwitchThatIsNotTrueOrFalseIsNamed() throws IOException {
        Path f = write("outputs:\n  rejects: sometimes\n");
        assertThatThrownBy(() -> JobSpec.load(f))
                .isInstanceOf(JobSpec.InvalidJobFile.class)
                .hasMessageStartingWith(f + ": key 'outputs.rejects': ");
    }

    @Test
    void aBadCompressionIsNamed() throws IOException {
        Path f = write("outputs:\n  compression: lz77\n");
        assertThatThrownBy(() -> JobSpec.load(f))
                .hasMessage(
                        f
                                + ": key 'outputs.compression': expected zstd, snappy, gzip or"
                                + " uncompressed, got 'lz77'");
    }

    @Test
    void anUnknownFlowLogFieldInTheFormatIsNamed() throws IOException {
        Path f = write("flow-logs:\n  format: \"${version} ${srcadr}\"\n");
        assertThatThrownBy(() -> JobSpec.load(f))
                .hasMessage(f + ": key 'flow-logs.format': unknown flow-log fields [srcadr]");
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> JobSpec.load(f)).hasMessage(f + ": job file not found");
    }

    @Test
    void invalidYamlIsNamed() throws IOException {
        Path f = write("flow-logs: [unclosed\n");
        assertThatThrownBy(() -> JobSpec.load(f)).hasMessageStartingWith(f + ": ");
    }
}
