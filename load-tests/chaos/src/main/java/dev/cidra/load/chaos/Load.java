package dev.cidra.load.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The load the suite drives while it injects faults, each kind at a fixed rate (open loop: a stalled platform does not
 * slow the load down): synchronous calls and job submissions alternating between the two gateways, and records to a
 * trigger's input topic. It records what each attempt got, for {@link Tally}. Thread-safe: the drivers run on their
 * own threads until {@link #close()}.
 */
final class Load implements AutoCloseable {
    /** How long a synchronous call may run in the guest; the gateway answers 504 a little after it. */
    static final String CALL_TIMEOUT = "3s";

    private static final Pattern JOB_ID = Pattern.compile("\"jobID\"\\s*:\\s*\"([^\"]+)\"");

    /** One synchronous call: when it was sent and ended (nanoTime), to which gateway, and its HTTP status (0: none). */
    record Call(long sentAt, long endedAt, int gateway, int status) {
        boolean ok() {
            return status == 200;
        }
    }

    /** A job submission the gateway refused or did not answer (so the suite does not expect the job). */
    record Refusal(long sentAt, int gateway, String why) {}

    private final LocalPlatform platform;
    private final String token;
    private final String cid;
    private final String jobSpec;
    private final String inputTopic;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(3);
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final KafkaProducer<String, String> records;
    private final AtomicInteger sequence = new AtomicInteger();

    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    final Set<String> jobIds = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    /** Records the broker acknowledged: key to the value sent. */
    final Map<String, String> recordsSent = new ConcurrentHashMap<>();

    final AtomicInteger recordsRefused = new AtomicInteger();

    /**
     * @param jobSpec a job spec with {@code %s} for the module's CID
     * @param inputTopic the trigger's input topic
     */
    Load(LocalPlatform platform, String cid, String jobSpec, String inputTopic) throws IOException {
        this.platform = platform;
        this.token = platform.token();
        this.cid = cid;
        this.jobSpec = jobSpec.formatted(cid);
        this.inputTopic = inputTopic;
        this.records = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                120_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                10_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName()));
    }

    /** Starts the three drivers at the given rates, per second. */
    void start(double callsPerSecond, double jobsPerSecond, double recordsPerSecond) {
        every(callsPerSecond, () -> senders.submit(this::call));
        every(jobsPerSecond, () -> senders.submit(this::submitJob));
        every(recordsPerSecond, this::sendRecord);
    }

    private void every(double perSecond, Runnable task) {
        long period = Math.round(1_000_000_000 / perSecond);
        clock.scheduleAtFixedRate(task, 0, period, TimeUnit.NANOSECONDS);
    }

    private int nextGateway() {
        return 1 + Math.floorMod(sequence.getAndIncrement(), LocalPlatform.GATEWAYS);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
    }

    private void call() {
        int gateway = nextGateway();
        long sent = System.nanoTime();
        int status;
        try {
            status = http.send(
                            request(platform.gateway(gateway)
                                            .resolve("/v1/functions/" + cid + "/invoke?timeout=" + CALL_TIMEOUT))
                                    .timeout(Duration.ofSeconds(20))
                                    .header("Content-Type", "application/octet-stream")
                                    .POST(HttpRequest.BodyPublishers.ofString("call " + sent + "\n"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        calls.add(new Call(sent, System.nanoTime(), gateway, status));
    }

    private void submitJob() {
        int gateway = nextGateway();
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(
                    request(platform.gateway(gateway).resolve("/v1/jobs"))
                            .timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(jobSpec))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            var id = JOB_ID.matcher(response.body());
            if (response.statusCode() == 202 && id.find()) {
                jobIds.add(id.group(1));
            } else {
                refusals.add(new Refusal(sent, gateway, Integer.toString(response.statusCode())));
            }
        } catch (IOException e) {
            refusals.add(new Refusal(sent, gateway, e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendRecord() {
        String key = "record-" + sequence.getAndIncrement();
        String value = "chaos " + key + "\n";
        records.send(new ProducerRecord<>(inputTopic, key, value), (metadata, e) -> {
            if (e == null) {
                recordsSent.put(key, value);
            } else {
                recordsRefused.incrementAndGet();
            }
        });
    }

    /** The calls recorded so far, in the order they ended. */
    List<Call> callsSoFar() {
        return List.copyOf(calls);
    }

    /** Stops the drivers, waits for the attempts in flight (at most 30 s) and for the records to be acknowledged. */
    @Override
    public void close() throws InterruptedException {
        clock.shutdownNow();
        clock.awaitTermination(5, TimeUnit.SECONDS);
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
        records.close(Duration.ofSeconds(130));
        http.close();
    }
}
