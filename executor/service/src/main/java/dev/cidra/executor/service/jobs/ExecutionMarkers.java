package dev.cidra.executor.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.JobEvent;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.health.S3Outage;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * One marker per execution that ran, in the state bucket at {@code executions/<executionId>.json} (the id
 * URL-encoded): the execution's terminal {@link JobEvent} as JSON, with the Kafka record the execution was read from
 * (topic-partition@offset) as the object's {@value #ORIGIN} metadata. A marker is written once, after the result was
 * published and before the terminal event is committed to Kafka. Reads and writes report to the {@link S3Outage}.
 * Thread-safe.
 */
@Singleton
class ExecutionMarkers {
    static final String ORIGIN = "cidra-origin";

    /**
     * @param event the terminal event the first run produced
     * @param origin where the record that ran it was read
     */
    record Marker(JobEvent event, String origin) {}

    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;
    private final S3Outage outage;

    ExecutionMarkers(S3Client s3, ObjectMapper json, ExecutorConfig config, S3Outage outage) {
        this.s3 = s3;
        this.json = json;
        this.outage = outage;
        this.bucket = config.jobs().stateBucket().orElse(config.registry().bucket());
    }

    static String key(String executionId) {
        return "executions/" + URLEncoder.encode(executionId, StandardCharsets.UTF_8) + ".json";
    }

    /**
     * @throws UncheckedIOException if the marker exists but is not a job event
     * @throws software.amazon.awssdk.core.exception.SdkException if the state bucket cannot be read
     */
    Optional<Marker> read(String executionId) {
        try (var in = s3.getObject(b -> b.bucket(bucket).key(key(executionId)))) {
            outage.succeeded(S3Outage.NODE);
            var event = json.readValue(in, JobEvent.class);
            return Optional.of(new Marker(event, in.response().metadata().getOrDefault(ORIGIN, "")));
        } catch (NoSuchKeyException e) {
            outage.succeeded(S3Outage.NODE);
            return Optional.empty();
        } catch (SdkException e) {
            outage.failed(S3Outage.NODE, "reading an execution marker", e);
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "marker s3://" + bucket + "/" + key(executionId) + " is not a job event: " + e.getMessage(), e);
        }
    }

    /**
     * @throws software.amazon.awssdk.core.exception.SdkException if the state bucket cannot be written
     */
    void write(String executionId, JobEvent event, String origin) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the terminal event of execution " + executionId, e);
        }
        try {
            s3.putObject(
                    b -> b.bucket(bucket)
                            .key(key(executionId))
                            .contentType("application/json")
                            .metadata(Map.of(ORIGIN, origin)),
                    RequestBody.fromBytes(body));
        } catch (SdkException e) {
            outage.failed(S3Outage.NODE, "writing an execution marker", e);
            throw e;
        }
        outage.succeeded(S3Outage.NODE);
    }
}
