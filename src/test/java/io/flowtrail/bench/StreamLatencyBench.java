package io.flowtrail.bench;

import io.flowtrail.job.StreamJob;
import io.flowtrail.support.KafkaBroker;
import io.flowtrail.support.StreamTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Alert latency of {@code stream}: from the moment the watermark passes a window's end to the alert
 * on the alerts topic. A real broker and the streaming job on a MiniCluster; each round produces a
 * vertical port scan in one window, then one record that moves the watermark past the window's end
 * (its start is the window end plus the watermark bound), and times until the scan's alert arrives.
 * Prints the median and p99. Run with {@code bench/latency.sh [rounds]}.
 */
public final class StreamLatencyBench {
    static final long T0 = 1793613600L; // 2026-11-02T10:00:00Z
    static final long WINDOW = 300;
    static final long BOUND = 900;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("flowtrail-latency");
        try (KafkaBroker kafka = new KafkaBroker();
                StreamTestCluster cluster = new StreamTestCluster()) {
            kafka.createTopic("flows", 1);
            kafka.createTopic("alerts", 1);
            StreamJob.Options o = StreamTestCluster.options(dir, kafka.bootstrapServers());
            o.flowTopics = List.of("flows");
            o.alertsTopic = "alerts";
            o.configPaths = List.of();
            o.parallelism = 1;
            JobClient job = StreamJob.start(o);
            List<Long> latencies = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer();
                    KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
                consumer.subscribe(List.of("alerts"));
                for (int round = 0; round < rounds; round++) {
                    long windowStart = T0 + round * WINDOW;
                    for (int port = 1000; port < 1030; port++) {
                        producer.send(record(scanProbe(round, windowStart + (port - 1000), port)));
                    }
                    producer.flush();
                    Thread.sleep(300); // the probes are in; now close the window
                    long sent = System.nanoTime();
                    producer.send(record(pusher(windowStart + WINDOW + BOUND + 1)));
                    producer.flush();
                    String scanner = "203.0.113." + (round % 250 + 1);
                    long deadline = sent + Duration.ofSeconds(60).toNanos();
                    boolean seen = false;
                    while (!seen && System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r :
                                consumer.poll(Duration.ofMillis(5))) {
                            if (new String(r.value(), StandardCharsets.UTF_8)
                                    .contains("\"src_addr\":\"" + scanner + "\"")) {
                                latencies.add((System.nanoTime() - sent) / 1_000_000);
                                seen = true;
                            }
                        }
                    }
                    if (!seen) {
                        System.err.println("round " + round + ": no alert within 60 s");
                    }
                }
            }
            job.cancel().get();
            Collections.sort(latencies);
            if (latencies.isEmpty()) {
                throw new IllegalStateException("no alert arrived");
            }
            long median = latencies.get(latencies.size() / 2);
            long p99 =
                    latencies.get(
                            Math.min(
                                    latencies.size() - 1,
                                    (int) Math.ceil(latencies.size() * 0.99) - 1));
            System.out.printf(
                    "alert latency after the watermark passes the window end: %d rounds, median %d ms, p99 %d ms, min %d ms, max %d ms%n",
                    latencies.size(),
                    median,
                    p99,
                    latencies.get(0),
                    latencies.get(latencies.size() - 1));
        }
    }

    static ProducerRecord<byte[], byte[]> record(String line) {
        return new ProducerRecord<>("flows", 0, null, line.getBytes(StandardCharsets.UTF_8));
    }

    /** A rejected SYN from this round's scanner to one port of the bastion. */
    static String scanProbe(int round, long start, int port) {
        return "2 111122223333 eni-056dfd21e9d1f5c01 203.0.113."
                + (round % 250 + 1)
                + " 10.20.0.30 40000 "
                + port
                + " 6 1 60 "
                + start
                + " "
                + (start + 1)
                + " REJECT OK";
    }

    static String pusher(long start) {
        return "2 111122223333 eni-0ffffffffffffffff 10.99.0.1 10.99.0.2 40000 443 6 1 60 "
                + start
                + " "
                + (start + 1)
                + " ACCEPT OK";
    }

    static KafkaConsumer<byte[], byte[]> consumer(KafkaBroker kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("group.id", "latency");
        p.put("auto.offset.reset", "earliest");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
