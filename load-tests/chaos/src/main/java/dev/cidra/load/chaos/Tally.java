package dev.cidra.load.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.Topics;
import dev.cidra.registry.S3Connection;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What became of the load, counted from the API (each job's state), Kafka ({@code read_committed}: the terminal job
 * events, the trigger's outputs) and S3 (the jobs' result objects).
 */
final class Tally {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The jobs' fate.
     *
     * @param lost accepted jobs the API does not know or no job event mentions
     * @param duplicated jobs with more than one terminal event, or more than one completed execution
     * @param stuck jobs not completed or failed when the drain ended
     * @param failedWhy the failed jobs, by their execution's error
     * @param resultsMissing completed jobs without their result object in S3
     */
    record Jobs(
            int accepted,
            int completed,
            int failed,
            Map<String, Integer> failedWhy,
            int lost,
            int duplicated,
            int stuck,
            int resultsMissing,
            int refused) {}

    /** The trigger's fate: records acknowledged, outputs (read committed), inputs without output, keys output twice. */
    record Records(int sent, int refused, int outputs, int lost, int duplicated, int wrong) {}

    private Tally() {}

    /** Polls the API until every job is completed or failed, or {@code drain} has passed; then counts. */
    static Jobs jobs(
            LocalPlatform platform,
            Set<String> jobIds,
            int refused,
            String bucket,
            String resultPrefix,
            S3Connection s3Connection,
            Duration drain)
            throws IOException, InterruptedException {
        String token = platform.token();
        var states = new HashMap<String, JsonNode>();
        long deadline = System.nanoTime() + drain.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String jobId : jobIds) {
                JsonNode job;
                do {
                    job = job(http, platform, token, jobId).orElse(null);
                    if (job != null && terminal(job.path("state").asText())) {
                        break;
                    }
                    Thread.sleep(200);
                } while (System.nanoTime() < deadline);
                states.put(jobId, job);
            }
        }
        Map<String, Integer> terminalEvents = terminalEvents(platform, jobIds);
        Set<String> results;
        try (S3Client s3 = s3Connection.newClient()) {
            results = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(resultPrefix)).contents().stream()
                    .map(object -> object.key())
                    .collect(Collectors.toSet());
        }
        int completed = 0;
        int failed = 0;
        int lost = 0;
        int duplicated = 0;
        int stuck = 0;
        int resultsMissing = 0;
        var failedWhy = new TreeMap<String, Integer>();
        for (String jobId : jobIds) {
            JsonNode job = states.get(jobId);
            int events = terminalEvents.getOrDefault(jobId, 0);
            if (job == null) {
                lost++;
                continue;
            }
            String state = job.path("state").asText();
            int completedExecutions = 0;
            String error = null;
            for (JsonNode execution : job.path("executions")) {
                if ("completed".equals(execution.path("state").asText())) {
                    completedExecutions++;
                }
                if (execution.hasNonNull("error")) {
                    error = execution.get("error").asText();
                }
            }
            if (events > 1 || completedExecutions > 1) {
                duplicated++;
            }
            switch (state) {
                case "completed" -> {
                    completed++;
                    if (!results.contains(resultPrefix + jobId + ".tar.gz")) {
                        resultsMissing++;
                    }
                }
                case "failed" -> {
                    failed++;
                    failedWhy.merge(error == null ? "(no reason given)" : error, 1, Integer::sum);
                }
                default -> stuck++;
            }
        }
        return new Jobs(jobIds.size(), completed, failed, failedWhy, lost, duplicated, stuck, resultsMissing, refused);
    }

    private static boolean terminal(String state) {
        return state.equals("completed") || state.equals("failed");
    }

    /** The job as the first gateway that answers shows it; empty if both say 404. */
    private static Optional<JsonNode> job(HttpClient http, LocalPlatform platform, String token, String jobId)
            throws InterruptedException {
        for (int gateway = 1; gateway <= LocalPlatform.GATEWAYS; gateway++) {
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(platform.gateway(gateway).resolve("/v1/jobs/" + jobId))
                                .header("Authorization", "Bearer " + token)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Optional.of(JSON.readTree(response.body()));
                }
            } catch (IOException e) {
                // The next gateway.
            }
        }
        return Optional.empty();
    }

    /** How many terminal events ({@code COMPLETED} or {@code FAILED}) each job has, read committed. */
    private static Map<String, Integer> terminalEvents(LocalPlatform platform, Set<String> jobIds) {
        var counts = new HashMap<String, Integer>();
        try (var consumer = consumer(platform)) {
            var partitions = consumer.partitionsFor(Topics.JOB_EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null
                            && jobIds.contains(record.key())
                            && (record.value().contains("\"state\":\"COMPLETED\"")
                                    || record.value().contains("\"state\":\"FAILED\""))) {
                        counts.merge(record.key(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    /**
     * Reads the trigger's output topic (read committed) until an output arrived for every record sent or 20 s passed
     * without a new one, at most {@code drain}; then counts.
     */
    static Records records(
            LocalPlatform platform, Map<String, String> sent, int refused, String outputTopic, Duration drain) {
        var outputs = new HashMap<String, String>();
        int duplicated = 0;
        try (var consumer = consumer(platform)) {
            consumer.subscribe(List.of(outputTopic));
            long deadline = System.nanoTime() + drain.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline
                    && !(outputs.keySet().containsAll(sent.keySet())
                            && System.nanoTime() - quietSince
                                    > Duration.ofSeconds(3).toNanos())
                    && System.nanoTime() - quietSince < Duration.ofSeconds(20).toNanos()) {
                var polled = consumer.poll(Duration.ofMillis(500));
                if (!polled.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                for (var record : polled) {
                    if (outputs.put(record.key(), record.value().strip()) != null) {
                        duplicated++;
                    }
                }
            }
        }
        int lost = 0;
        int wrong = 0;
        for (var entry : sent.entrySet()) {
            String output = outputs.get(entry.getKey());
            if (output == null) {
                lost++;
            } else if (!output.equals(wordCount(entry.getValue()))) {
                wrong++;
            }
        }
        return new Records(sent.size(), refused, outputs.size(), lost, duplicated, wrong);
    }

    /** What the word-count function answers for one line of stdin: lines, words, bytes. */
    private static String wordCount(String text) {
        return text.lines().count() + " " + text.strip().split("\\s+").length + " " + text.length();
    }

    private static KafkaConsumer<String, String> consumer(LocalPlatform platform) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "chaos-tally-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()));
    }
}
