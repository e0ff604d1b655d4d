package io.flowtrail.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run without the rejects table says about one an earlier run left in its output folder. */
class TableOutputsTest {
    @TempDir Path out;

    private static JobSpec withRejects(boolean rejects) {
        JobSpec spec = JobSpec.defaults();
        spec.outputs.rejects = rejects;
        return spec;
    }

    @Test
    void aRejectsTableLeftByAnEarlierRunIsNamedWhenThisRunDoesNotWriteOne() throws IOException {
        Files.createDirectories(out.resolve("rejects/dt=2026-11-02/hr=10"));

        assertThat(TableOutputs.staleRejectsNotice(out, withRejects(false)))
                .startsWith("outputs.rejects is false, but " + out.resolve("rejects"))
                .contains("left as it is")
                .contains("report reads REJECTs from it");
    }

    @Test
    void nothingIsSaidWithoutAnEarlierTableOrWhenThisRunWritesOne() throws IOException {
        assertThat(TableOutputs.staleRejectsNotice(out, withRejects(false))).isNull();

        Files.createDirectories(out.resolve("rejects"));

        assertThat(TableOutputs.staleRejectsNotice(out, withRejects(true))).isNull();
    }
}
