package dev.cidra.gateway.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.JobRequest;
import dev.cidra.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The requests of deterministic jobs, kept so that {@code POST /v1/jobs/{id}/verify} can run one again: one JSON
 * object per job at {@code jobs/<jobId>/request.json} in the module bucket, which is the platform's own (no job's
 * input or publisher may name it, and no API serves keys that are not CIDs from it). Thread-safe.
 */
@Singleton
public class JobRequests {
    private final S3Client s3;
    private final ObjectMapper json;
    private final String bucket;

    JobRequests(S3Client s3, ObjectMapper json, GatewayConfig config) {
        this.s3 = s3;
        this.json = json;
        this.bucket = config.registry().bucket();
    }

    static String key(String jobId) {
        return "jobs/" + jobId + "/request.json";
    }

    /** @throws StorageException if the bucket cannot be written */
    public void keep(JobRequest request) {
        try {
            byte[] body = json.writeValueAsBytes(request);
            s3.putObject(
                    b -> b.bucket(bucket).key(key(request.jobId())).contentType("application/json"),
                    RequestBody.fromBytes(body));
        } catch (IOException | SdkException e) {
            throw new StorageException(
                    "cannot keep the request of job " + request.jobId() + " in s3://" + bucket + "/"
                            + key(request.jobId()) + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The request kept for {@code jobId}; empty for a job that was not deterministic.
     *
     * @throws StorageException if the bucket cannot be read, or the object is not a job request
     */
    public Optional<JobRequest> find(String jobId) {
        try (var in = s3.getObject(b -> b.bucket(bucket).key(key(jobId)))) {
            return Optional.of(json.readValue(in, JobRequest.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException | SdkException e) {
            throw new StorageException(
                    "cannot read the request of job " + jobId + " from s3://" + bucket + "/" + key(jobId) + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
