package io.flowtrail.support;

import io.flowtrail.job.JobSpec;
import io.flowtrail.job.StreamJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * A MiniCluster of two TaskManagers (two slots each) that Flowtrail's jobs run on, as the context
 * environment; a TaskManager can be killed and another started.
 */
public final class StreamTestCluster implements AutoCloseable {
    public final MiniCluster miniCluster;

    public StreamTestCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(
                TaskManagerOptions.MANAGED_MEMORY_SIZE,
                org.apache.flink.configuration.MemorySize.parse("64m"));
        // Any free port: tests and a developer's own Flink may run side by side.
        conf.set(org.apache.flink.configuration.RestOptions.BIND_PORT, "0");
        miniCluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(2)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        miniCluster.start();
        TestStreamEnvironment.setAsContext(miniCluster, 2);
    }

    /** A streaming job's options with fast checkpoints and restarts, writing under {@code dir}. */
    public static StreamJob.Options options(Path dir, String bootstrapServers) throws IOException {
        Path job = dir.resolve("job.yaml");
        Files.createDirectories(dir);
        Files.writeString(
                job,
                "execution:\n"
                        + "  parallelism: 2\n"
                        + "  checkpoint-interval: 1s\n"
                        + "  restart-attempts: 5\n"
                        + "  restart-delay: 1s\n");
        StreamJob.Options o = new StreamJob.Options();
        o.spec = JobSpec.load(job);
        o.parallelism = Integer.getInteger("flowtrail.test.parallelism", 2);
        o.bootstrapServers = bootstrapServers;
        o.outDir = dir.resolve("out").toString();
        o.checkpointDir = dir.resolve("checkpoints").toString();
        o.savepointDir = dir.resolve("savepoints").toString();
        o.configPaths = List.of(SampleLogs.DIR.resolve("config").toString());
        return o;
    }

    /** Whether any completed checkpoint of the job is on disk. */
    public static boolean hasCompletedCheckpoint(Path checkpointDir) throws IOException {
        if (!Files.isDirectory(checkpointDir)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(checkpointDir)) {
            return walk.anyMatch(
                    p ->
                            p.getFileName().toString().equals("_metadata")
                                    && p.getParent().getFileName().toString().startsWith("chk-"));
        }
    }

    /** Polls until the condition holds, or fails after the timeout. */
    public static void await(String what, Duration timeout, Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e; // the table may be half there: try again
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }

    @Override
    public void close() throws Exception {
        TestStreamEnvironment.unsetAsContext();
        miniCluster.close();
    }
}
