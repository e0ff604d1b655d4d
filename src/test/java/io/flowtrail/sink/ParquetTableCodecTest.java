package io.flowtrail.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowtrail.model.FlowSummaryRow;
import io.flowtrail.support.DuckDb;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every compression {@code outputs.compression} accepts writes a {@code flow_summary} file that
 * DuckDB reads back row for row: the writers start from an empty Hadoop configuration, so no codec
 * may depend on a default only Hadoop's resource files would have set.
 */
class ParquetTableCodecTest {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(
            value = CompressionCodecName.class,
            names = {"ZSTD", "SNAPPY", "GZIP", "UNCOMPRESSED"})
    void aFlowSummaryFileWrittenWithTheCodecReadsBackWithDuckDb(CompressionCodecName codec)
            throws Exception {
        Path file = write(dir.resolve(codec.name().toLowerCase() + ".parquet"), codec);
        try (DuckDb db = new DuckDb()) {
            String read = "read_parquet('" + file.toAbsolutePath() + "')";
            assertThat(
                            db.value(
                                    "SELECT DISTINCT compression FROM parquet_metadata('"
                                            + file.toAbsolutePath()
                                            + "')"))
                    .isEqualTo(codec.name());
            assertThat(db.count("SELECT count(*) FROM " + read)).isEqualTo(2_000);
            assertThat(db.count("SELECT sum(flows) FROM " + read)).isEqualTo(2_000L * 1_999 / 2);
            assertThat(
                            db.rows(
                                    "SELECT interface_id, action, protocol, bytes FROM "
                                            + read
                                            + " WHERE flows = 1234"))
                    .containsExactly(List.of("eni-00000000000000034", "REJECT", 17, 1_234_000L));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionCodecName.class,
            names = {"ZSTD", "SNAPPY", "GZIP", "UNCOMPRESSED"})
    void aFileWrittenWithTheCodecReadsBackWithFlowtrailsOwnReader(CompressionCodecName codec)
            throws Exception {
        // TableReader opens files through ParquetFiles, which also starts from an empty Hadoop
        // configuration: the decompressors must not need Hadoop's resource files either.
        Path table = dir.resolve("flow_summary");
        java.nio.file.Files.createDirectories(table);
        write(table.resolve("part-0.parquet"), codec);

        List<org.apache.parquet.example.data.Group> rows = TableReader.rows(table);

        assertThat(rows).hasSize(2_000);
        long flows = 0;
        for (org.apache.parquet.example.data.Group g : rows) {
            flows += TableReader.number(g, "flows", -1);
        }
        assertThat(flows).isEqualTo(2_000L * 1_999 / 2);
        assertThat(TableReader.text(rows.get(1234), "interface_id"))
                .isEqualTo("eni-00000000000000034");
    }

    /** 2,000 {@code flow_summary} rows ({@link #row}) written to {@code file} with the codec. */
    private static Path write(Path file, CompressionCodecName codec) throws java.io.IOException {
        try (ParquetWriter<FlowSummaryRow> w =
                Tables.FLOW_SUMMARY.writer(new LocalOutputFile(file), codec)) {
            for (int i = 0; i < 2_000; i++) {
                w.write(row(i));
            }
        }
        return file;
    }

    private static FlowSummaryRow row(int i) {
        FlowSummaryRow r = new FlowSummaryRow();
        r.windowStart = 1_793_613_600_000L + (i / 100) * 300_000L;
        r.windowEnd = r.windowStart + 300_000L;
        r.accountId = "111122223333";
        r.vpcId = "vpc-0a9d89cb48a80f5b0";
        r.subnetId = "subnet-0" + (i % 7);
        r.interfaceId = String.format("eni-%017d", i % 100);
        r.direction = i % 2 == 0 ? "ingress" : "egress";
        r.action = i % 3 == 0 ? "ACCEPT" : "REJECT";
        r.protocol = i % 5 == 0 ? 6 : 17;
        r.flows = i;
        r.packets = 2L * i;
        r.bytes = 1_000L * i;
        r.distinctSrcAddrs = 1;
        r.distinctDstAddrs = 1;
        r.distinctDstPorts = 1;
        return r;
    }
}
