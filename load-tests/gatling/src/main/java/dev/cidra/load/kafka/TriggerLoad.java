package dev.cidra.load.kafka;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Load on the event-driven path: creates a source and an output topic and a trigger ({@code POST /v1/triggers}) that
 * runs a module on every source record, produces records at a fixed rate and reads the outputs with
 * {@code read_committed}.
 *
 * <pre>
 *   TriggerLoad bootstrap=HOST:PORT gateway=URL cid=CID rate=300 seconds=60 warmup=15 partitions=4
 * </pre>
 *
 * <p>Open loop: record i is due at {@code start + i / rate} and carries that instant as its timestamp, so a producer
 * that falls behind is charged for it. Its key is i in decimal; the trigger's output record has the same key, and its
 * lag is its arrival time minus the source record's timestamp (milliseconds). Records of the warm-up are not counted.
 * After production stops it waits up to 30 s for the outstanding outputs. One summary line goes to stdout; the trigger
 * is deleted at the end.
 */
public final class TriggerLoad {
    private static final Duration DRAIN = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            if (pair.length != 2) {
                System.err.println("TriggerLoad: expected NAME=VALUE, not " + arg);
                System.exit(2);
            }
            options.put(pair[0], pair[1]);
        }
        for (String required : List.of("bootstrap", "gateway", "cid")) {
            if (!options.containsKey(required)) {
                System.err.println("usage: TriggerLoad bootstrap=HOST:PORT gateway=URL cid=CID [rate=300] [seconds=60]"
                        + " [warmup=15] [partitions=4]");
                System.exit(2);
            }
        }
        int rate = Integer.parseInt(options.getOrDefault("rate", "300"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "15"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "4"));
        String bootstrap = options.get("bootstrap");
        String gateway = options.get("gateway");
        String run = "load-" + System.currentTimeMillis();
        String source = run + "-in";
        String output = run + "-out";

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(source, partitions, (short) 1), new NewTopic(output, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        var http = HttpClient.newHttpClient();
        String trigger = """
                {"name": "%s", "topic": "%s", "module": "%s", "output": {"topic": "%s"}, "concurrency": %d}
                """.formatted(run, source, options.get("cid"), output, partitions);
        var created = http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/v1/triggers"))
                        .header("Authorization", "Bearer " + System.getenv().getOrDefault("CIDRA_TOKEN", ""))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(trigger))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201 && created.statusCode() != 200) {
            System.err.println("TriggerLoad: POST /v1/triggers: HTTP " + created.statusCode() + " " + created.body());
            System.exit(1);
        }
        try {
            new TriggerLoad(bootstrap, source, output, partitions).run(rate, warmup, seconds);
        } finally {
            http.send(
                    HttpRequest.newBuilder(URI.create(gateway + "/v1/triggers/" + run))
                            .header("Authorization", "Bearer " + System.getenv().getOrDefault("CIDRA_TOKEN", ""))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private final String bootstrap;
    private final String source;
    private final String output;
    private final int partitions;

    private TriggerLoad(String bootstrap, String source, String output, int partitions) {
        this.bootstrap = bootstrap;
        this.source = source;
        this.output = output;
        this.partitions = partitions;
    }

    private void run(int rate, int warmup, int seconds) throws InterruptedException {
        int warmupRecords = rate * warmup;
        int total = warmupRecords + rate * seconds;
        long startMillis = System.currentTimeMillis() + 1000;
        long startNanos = System.nanoTime() + 1_000_000_000L;
        long windowStart = startMillis + warmup * 1000L;
        long windowEnd = windowStart + seconds * 1000L;
        var sent = new AtomicLongArray(total);
        var lag = new AtomicLongArray(total);
        for (int i = 0; i < total; i++) {
            lag.set(i, -1);
        }
        var received = new AtomicLong();
        var receivedInWindow = new AtomicLong();
        var done = new AtomicBoolean();
        var reader = Thread.ofPlatform().name("outputs").start(() -> {
            try (var consumer = new KafkaConsumer<byte[], byte[]>(consumerConfig())) {
                var assigned = new ArrayList<TopicPartition>();
                for (int p = 0; p < partitions; p++) {
                    assigned.add(new TopicPartition(output, p));
                }
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                while (!done.get()) {
                    for (var record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        int i = Integer.parseInt(new String(record.key(), StandardCharsets.UTF_8));
                        if (i >= 0 && i < total && lag.compareAndSet(i, -1, now - sent.get(i))) {
                            if (i >= warmupRecords) {
                                received.incrementAndGet();
                            }
                        }
                        if (now >= windowStart && now < windowEnd) {
                            receivedInWindow.incrementAndGet();
                        }
                    }
                }
            }
        });

        try (var producer = new KafkaProducer<byte[], byte[]>(producerConfig())) {
            for (int i = 0; i < total; i++) {
                long dueNanos = startNanos + (long) (i * 1e9 / rate);
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long timestamp = startMillis + (long) (i * 1000.0 / rate);
                sent.set(i, timestamp);
                producer.send(new ProducerRecord<>(
                        source, null, timestamp, Integer.toString(i).getBytes(StandardCharsets.UTF_8), new byte[0]));
            }
        }
        double producedSeconds = (System.nanoTime() - startNanos) / 1e9 - warmup;
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (received.get() < total - warmupRecords && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        done.set(true);
        reader.join();

        long[] lags = IntStream.range(warmupRecords, total)
                .mapToLong(lag::get)
                .filter(l -> l >= 0)
                .sorted()
                .toArray();
        int measured = total - warmupRecords;
        System.out.printf(
                "kafka rate=%d partitions=%d seconds=%d in=%.0f/s out=%.0f/s outputs=%d/%d missing=%d"
                        + " lag_ms p50=%s p95=%s p99=%s max=%s%n",
                rate,
                partitions,
                seconds,
                measured / producedSeconds,
                receivedInWindow.get() / (double) seconds,
                lags.length,
                measured,
                measured - lags.length,
                rank(lags, 0.50),
                rank(lags, 0.95),
                rank(lags, 0.99),
                lags.length == 0 ? "-" : Long.toString(lags[lags.length - 1]));
    }

    private static String rank(long[] sorted, double quantile) {
        return sorted.length == 0
                ? "-"
                : Long.toString(sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)]);
    }

    private Properties producerConfig() {
        var config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return config;
    }

    private Properties consumerConfig() {
        var config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        return config;
    }
}
