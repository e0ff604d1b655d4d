package io.flowtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which tuning options a relaunched replay gets, and when it is not relaunched at all. */
class ReplayJvmTest {
    @Test
    void flagNamesIgnoreTheirSignAndValue() {
        assertThat(ReplayJvm.flagName("-XX:+UseParallelGC")).isEqualTo("UseParallelGC");
        assertThat(ReplayJvm.flagName("-XX:-UseParallelGC")).isEqualTo("UseParallelGC");
        assertThat(ReplayJvm.flagName("-XX:TieredStopAtLevel=1")).isEqualTo("TieredStopAtLevel");
    }

    @Test
    void theUsersOwnCollectorOrTierWins() {
        List<String> given = List.of("-Xmx4g", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=4");
        assertThat(ReplayJvm.overridden("-XX:+UseParallelGC", given)).isTrue();
        assertThat(ReplayJvm.overridden("-XX:TieredStopAtLevel=1", given)).isTrue();
        assertThat(ReplayJvm.overridden("-XX:+UseParallelGC", List.of("-Xmx2g"))).isFalse();
        assertThat(ReplayJvm.overridden("-XX:+AlwaysPreTouch", given)).isFalse();
    }

    @Test
    void onlyAReplayStartedFromTheJarIsRelaunched() {
        // Tests run from target/classes, not from the jar, and other commands never relaunch.
        assertThat(ReplayJvm.launchedJar()).isNull();
        assertThat(ReplayJvm.relaunch(new String[] {"replay", "sample-logs"})).isEqualTo(-1);
        assertThat(ReplayJvm.relaunch(new String[] {"explain", "--help"})).isEqualTo(-1);
        assertThat(ReplayJvm.relaunch(new String[0])).isEqualTo(-1);
    }

    @Test
    void optionsSplitOnWhitespace() {
        assertThat(ReplayJvm.split("  -XX:+UseParallelGC \t -XX:TieredStopAtLevel=1 "))
                .containsExactly("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1");
        assertThat(ReplayJvm.split("")).isEmpty();
    }

    @Test
    void aJvmWithADebuggerProfilerRecordingOrJmxPortIsNotRelaunched() {
        assertThat(
                        ReplayJvm.notRepeatable(
                                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005"))
                .isTrue();
        assertThat(ReplayJvm.notRepeatable("-javaagent:/opt/apm/agent.jar")).isTrue();
        assertThat(ReplayJvm.notRepeatable("-XX:StartFlightRecording=filename=r.jfr")).isTrue();
        assertThat(ReplayJvm.notRepeatable("-Xlog:gc*:file=gc.log")).isTrue();
        assertThat(ReplayJvm.notRepeatable("-Dcom.sun.management.jmxremote.port=9010")).isTrue();
        assertThat(ReplayJvm.notRepeatable("-Xlog:gc")).isFalse();
        assertThat(ReplayJvm.notRepeatable("-Xmx2g")).isFalse();
    }

    @Test
    void theArchiveBesideTheJarIsMappedUnlessThereIsNoneOrTheUserChoseClassSharing(
            @TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("flowtrail.jar"));
        assertThat(ReplayJvm.classArchive(jar, List.of("-Xmx2g"))).as("no archive").isEmpty();

        Path archive = Files.createFile(dir.resolve("flowtrail.jsa"));
        assertThat(ReplayJvm.classArchive(jar, List.of("-Xmx2g")))
                .containsExactly(
                        "-XX:SharedArchiveFile=" + archive,
                        "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off");
        assertThat(ReplayJvm.classArchive(jar, List.of("-Xshare:off"))).isEmpty();
        assertThat(ReplayJvm.classArchive(jar, List.of("-Xshare:on")))
                .startsWith("-XX:SharedArchiveFile=" + archive);
        assertThat(ReplayJvm.classArchive(jar, List.of("-XX:SharedArchiveFile=/tmp/mine.jsa")))
                .isEmpty();
        assertThat(ReplayJvm.classArchive(jar, List.of("-XX:ArchiveClassesAtExit=/tmp/new.jsa")))
                .isEmpty();
    }

    @Test
    void askingForTheClassSharingLogKeepsItAndAPathWithTheSeparatorGetsNoArchive(@TempDir Path dir)
            throws Exception {
        Path jar = Files.createFile(dir.resolve("flowtrail.jar"));
        Path archive = Files.createFile(dir.resolve("flowtrail.jsa"));
        assertThat(ReplayJvm.classArchive(jar, List.of("-Xlog:cds")))
                .containsExactly("-XX:SharedArchiveFile=" + archive);
        assertThat(ReplayJvm.classArchive(jar, List.of("-Xlog:all=info")))
                .containsExactly("-XX:SharedArchiveFile=" + archive);

        // The JVM reads "a:b" as two archives and refuses to start.
        Path odd =
                Files.createDirectories(dir.resolve("builds" + java.io.File.pathSeparator + "1"));
        Path oddJar = Files.createFile(odd.resolve("flowtrail.jar"));
        Files.createFile(odd.resolve("flowtrail.jsa"));
        assertThat(ReplayJvm.classArchive(oddJar, List.of())).isEmpty();
    }

    @Test
    void theLaunchedJarIsRecognisedWhenItsPathHoldsSpaces(@TempDir Path dir) {
        Path jar = dir.resolve("Flowtrail builds").resolve("flowtrail.jar");
        assertThat(ReplayJvm.startedWith(jar + " replay sample-logs --out out", jar)).isTrue();
        assertThat(ReplayJvm.startedWith(jar.toString(), jar)).isTrue();
        assertThat(ReplayJvm.startedWith(dir.resolve("other.jar") + " replay", jar)).isFalse();
        assertThat(ReplayJvm.startedWith("io.flowtrail.cli.Main replay x", jar)).isFalse();
        // A relative path, as typed, resolves against the working directory.
        Path here = Path.of("target", "flowtrail.jar");
        assertThat(ReplayJvm.startedWith("target/flowtrail.jar replay", here)).isTrue();
    }

    @Test
    void aJvmThatWritesAClassArchiveIsNotRelaunched() {
        // Both JVMs would write the archive; the launcher, exiting last, would win.
        assertThat(ReplayJvm.notRepeatable("-XX:ArchiveClassesAtExit=app.jsa")).isTrue();
    }
}
