package io.flowtrail.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowtrail.config.ConfigSnapshot;
import io.flowtrail.config.ConfigTimeline;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --config} folder contract of {@link ConfigSnapshotReader}. */
class ConfigSnapshotReaderTest {
    private static final String GROUPS =
            "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": []}]}";
    private static final String MORE_GROUPS =
            "{\"SecurityGroups\": [{\"GroupId\": \"sg-2\", \"IpPermissions\": []}]}";
    private static final String ACLS =
            "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": []}]}";
    private static final String NEWER_ACLS =
            "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-2\", \"Entries\": []}]}";
    private static final long T9 = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();
    private static final long T10 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long T11 = Instant.parse("2026-11-02T11:00:00Z").toEpochMilli();

    @TempDir Path config;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void writeGzip(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void subfoldersAreSnapshotsNamedByTheirInstantInAnyOfTheThreeForms() throws IOException {
        write(config.resolve("2026-11-02T09:00:00Z/sg.json"), GROUPS);
        write(config.resolve("2026-11-02T10-00-00Z/acl.json"), ACLS);
        write(config.resolve("20261102T110000Z/acl.json"), NEWER_ACLS);

        List<ConfigSnapshot> versions = ConfigSnapshotReader.readVersions(config);

        assertThat(versions)
                .extracting(ConfigSnapshot::effectiveFromMillis)
                .containsExactly(T9, T10, T11);
        assertThat(versions.get(0).source())
                .isEqualTo(config.resolve("2026-11-02T09:00:00Z").toString());
        assertThat(versions.get(1).documents()).containsOnlyKeys("NetworkAcls");
    }

    @Test
    void manifestWinsOverTheFolderName() throws IOException {
        write(config.resolve("2026-11-02T09:00:00Z/sg.json"), GROUPS);
        write(
                config.resolve("2026-11-02T09:00:00Z/snapshot.json"),
                "{\"time\": \"2026-11-02T11:00:00Z\"}");
        write(config.resolve("monday/acl.json"), ACLS);
        write(config.resolve("monday/snapshot.json"), "{\"time\": \"20261102T100000Z\"}");

        List<ConfigSnapshot> versions = ConfigSnapshotReader.readVersions(config);

        assertThat(versions)
                .extracting(ConfigSnapshot::effectiveFromMillis)
                .containsExactly(T10, T11);
        assertThat(versions.get(1).documents()).containsOnlyKeys("SecurityGroups");
    }

    @Test
    void aFolderOfDocumentsWithoutManifestHoldsFromTheBeginningOfTime() throws IOException {
        write(config.resolve("sg.json"), GROUPS);
        write(config.resolve("README.md"), "notes");
        write(config.resolve(".gitkeep"), "");

        List<ConfigSnapshot> versions = ConfigSnapshotReader.readVersions(config);

        assertThat(versions)
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.effectiveFromMillis()).isEqualTo(Long.MIN_VALUE);
                            assertThat(s.documents()).containsOnlyKeys("SecurityGroups");
                        });
    }

    @Test
    void aFolderOfDocumentsWithAManifestHoldsFromTheManifestTime() throws IOException {
        write(config.resolve("sg.json"), GROUPS);
        write(config.resolve("snapshot.json"), "{\"time\": \"2026-11-02T10:00:00Z\"}");

        ConfigSnapshot only = ConfigSnapshotReader.readVersions(config).get(0);

        assertThat(only.effectiveFromMillis()).isEqualTo(T10);
        assertThat(only.documents()).containsOnlyKeys("SecurityGroups");
    }

    @Test
    void gzipDocumentsAreRead() throws IOException {
        writeGzip(config.resolve("2026-11-02T09:00:00Z/sg.json.gz"), GROUPS);

        ConfigSnapshot only = ConfigSnapshotReader.readVersions(config).get(0);

        assertThat(only.documents()).containsEntry("SecurityGroups", GROUPS);
    }

    @Test
    void aPartialSnapshotReplacesItsKindsAndKeepsTheOthers() throws IOException {
        write(config.resolve("2026-11-02T09:00:00Z/sg.json"), GROUPS);
        write(config.resolve("2026-11-02T09:00:00Z/acl.json"), ACLS);
        write(config.resolve("2026-11-02T10:00:00Z/acl.json"), NEWER_ACLS);

        ConfigTimeline timeline = ConfigSnapshotReader.read(config);

        assertThat(timeline.at(T10).documents())
                .containsEntry("SecurityGroups", GROUPS)
                .containsEntry("NetworkAcls", NEWER_ACLS);
        assertThat(timeline.at(T9).documents()).containsEntry("NetworkAcls", ACLS);
        assertThat(timeline.at(T9 - 1)).isNull();
    }

    @Test
    void prefixListEntriesAreKeyedByTheListNamedInTheFileName() throws Exception {
        write(config.resolve("pl-0abc.json"), "{\"Entries\": [{\"Cidr\": \"192.0.2.0/24\"}]}");

        ConfigSnapshot only = ConfigSnapshotReader.readVersions(config).get(0);

        assertThat(only.documents()).containsOnlyKeys("PrefixListEntries:pl-0abc");
        assertThat(
                        new ObjectMapper()
                                .readTree(only.documents().get("PrefixListEntries:pl-0abc"))
                                .get("PrefixListId")
                                .asText())
                .isEqualTo("pl-0abc");
    }

    @Test
    void severalFilesOfOneKindAreCombined() throws Exception {
        write(config.resolve("sg-page1.json"), GROUPS);
        write(config.resolve("sg-page2.json"), MORE_GROUPS);

        ConfigSnapshot only = ConfigSnapshotReader.readVersions(config).get(0);

        assertThat(
                        new ObjectMapper()
                                .readTree(only.documents().get("SecurityGroups"))
                                .get("SecurityGroups"))
                .extracting(g -> g.get("GroupId").asText())
                .containsExactly("sg-1", "sg-2");
    }

    @Test
    void foldersNamingTheSameInstantAreOneSnapshot() throws Exception {
        write(config.resolve("2026-11-02T09:00:00Z/sg.json"), GROUPS);
        write(config.resolve("20261102T090000Z/acl.json"), ACLS);

        List<ConfigSnapshot> versions = ConfigSnapshotReader.readVersions(config);

        assertThat(versions)
                .singleElement()
                .satisfies(
                        s ->
                                assertThat(s.documents())
                                        .containsOnlyKeys("NetworkAcls", "SecurityGroups"));
    }

    @Test
    void aBadDocumentFailsNamingTheFileAndThePath() throws IOException {
        write(
                config.resolve("2026-11-02T09:00:00Z/sg.json"),
                "{\"SecurityGroups\": [{\"GroupId\": 7}]}");

        assertThatThrownBy(() -> ConfigSnapshotReader.read(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        config.resolve("2026-11-02T09:00:00Z/sg.json")
                                + ": $.SecurityGroups[0].GroupId: expected an id like sg-0123456789abcdef0, got 7");
    }

    @Test
    void aSubfolderWithoutAnInstantOrManifestIsAnError() throws IOException {
        write(config.resolve("latest/sg.json"), GROUPS);

        assertThatThrownBy(() -> ConfigSnapshotReader.read(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        config.resolve("latest")
                                + ": a snapshot folder is named by the UTC instant");
    }

    @Test
    void aBadManifestTimeNamesTheManifest() throws IOException {
        write(config.resolve("a/sg.json"), GROUPS);
        write(config.resolve("a/snapshot.json"), "{\"time\": \"yesterday\"}");

        assertThatThrownBy(() -> ConfigSnapshotReader.read(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        config.resolve("a/snapshot.json")
                                + ": $.time: expected a UTC instant like \"2026-11-02T09:00:00Z\", got \"yesterday\"");
    }

    @Test
    void snapshotFoldersBesideDocumentsIsAnError() throws IOException {
        write(config.resolve("2026-11-02T09:00:00Z/sg.json"), GROUPS);
        write(config.resolve("acl.json"), ACLS);

        assertThatThrownBy(() -> ConfigSnapshotReader.read(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        config + ": holds both snapshot folders and documents (acl.json)");
    }

    @Test
    void aFolderInsideASnapshotIsAnError() throws IOException {
        write(config.resolve("2026-11-02T09:00:00Z/more/sg.json"), GROUPS);

        assertThatThrownBy(() -> ConfigSnapshotReader.read(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        config.resolve("2026-11-02T09:00:00Z/more")
                                + ": a folder inside the snapshot folder");
    }

    @Test
    void anEmptyFolderIsNoSnapshot() {
        assertThat(ConfigSnapshotReader.read(config).isEmpty()).isTrue();
    }

    @Test
    void aSingleDocumentFileIsASnapshotFromTheBeginningOfTime() throws IOException {
        write(config.resolve("acl.json"), ACLS);

        ConfigTimeline timeline = ConfigSnapshotReader.read(config.resolve("acl.json"));

        assertThat(timeline.at(Long.MIN_VALUE).documents()).containsOnlyKeys("NetworkAcls");
    }

    @Test
    void severalConfigPathsMakeOneTimeline() throws IOException {
        write(config.resolve("base/sg.json"), GROUPS);
        write(config.resolve("changes/2026-11-02T10:00:00Z/acl.json"), ACLS);

        ConfigTimeline timeline =
                ConfigSnapshotReader.read(
                        List.of(config.resolve("base"), config.resolve("changes")));

        assertThat(timeline.at(T9).documents()).containsOnlyKeys("SecurityGroups");
        assertThat(timeline.at(T10).documents()).containsOnlyKeys("NetworkAcls", "SecurityGroups");
    }

    @Test
    void documentsReadElsewhereMakeASnapshotAndTheManifestIsSkipped() {
        ConfigSnapshot s =
                ConfigSnapshotReader.snapshot(
                        "s3://bucket/config/x",
                        T9,
                        Map.of(
                                "sg.json",
                                GROUPS,
                                "snapshot.json",
                                "{\"time\": \"2026-11-02T09:00:00Z\"}"));

        assertThat(s.documents()).containsOnlyKeys("SecurityGroups");
        assertThat(s.effectiveFromMillis()).isEqualTo(T9);
    }

    @Test
    void snapshotTimesInTheThreeFormsAndNothingElse() {
        assertThat(ConfigSnapshotReader.parseTime("2026-11-02T09:00:00Z")).isEqualTo(T9);
        assertThat(ConfigSnapshotReader.parseTime("2026-11-02T09-00-00Z")).isEqualTo(T9);
        assertThat(ConfigSnapshotReader.parseTime("20261102T090000Z")).isEqualTo(T9);
        assertThat(ConfigSnapshotReader.parseTime("2026-11-02T09:00:00.500Z")).isEqualTo(T9 + 500);
        assertThat(ConfigSnapshotReader.parseTime("2026-11-02T09:00:00+01:00")).isNull();
        assertThat(ConfigSnapshotReader.parseTime("2026-13-02T09:00:00Z")).isNull();
        assertThat(ConfigSnapshotReader.parseTime("2026-11-02")).isNull();
    }
}
