package dev.cidra.executor.service.publishing;

import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.Publisher;
import dev.cidra.contract.StorageGrants;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.config.S3Clients;
import dev.cidra.executor.service.content.ResultContent;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.health.S3Outage;
import dev.cidra.executor.service.security.JobStorageAccess;
import dev.cidra.registry.Cid;
import dev.cidra.registry.RegistryException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Publishes a result where its {@link Publication}'s {@link Publisher} says.
 *
 * <ul>
 *   <li>{@value Publisher#S3}, gzip: one {@code .tar.gz} object at the expanded key template, sent with its SHA-256
 *       ({@code x-amz-checksum-sha256}, which the store verifies); the result records the checksum and the version.
 *   <li>{@value Publisher#S3}, plain: every file under the expanded key as a prefix (empty directories are not
 *       published). Objects are written one by one, so a failure can leave some of them.
 *   <li>{@value Publisher#LOCAL}: the {@code .tar.gz} kept by {@link LocalResults} and served at
 *       {@code <cidra.jobs.public-url>/v1/results/<executionId>}.
 * </ul>
 *
 * <p>Once published, the result's {@code .tar.gz} is kept in the platform's {@link ResultContent} under its CID, for
 * the job's tenant, so that later jobs take it as an {@code ipfs} input; a content store that cannot be written fails
 * the publication as an outage of the node (the execution is attempted again).
 */
@Singleton
public class ResultPublisher {
    static final String RESULTS_PATH = "/v1/results/";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    /** The user metadata naming the job that wrote an object ({@code x-amz-meta-cidra-job-id}). */
    static final String JOB_METADATA = "cidra-job-id";

    private final S3Clients s3;
    private final LocalResults local;
    private final JobStorageAccess access;
    private final String publicUrl;
    private final S3Outage outage;
    private final ResultContent content;

    ResultPublisher(
            S3Clients s3,
            LocalResults local,
            JobStorageAccess access,
            ExecutorConfig config,
            S3Outage outage,
            ResultContent content) {
        this.s3 = s3;
        this.content = content;
        this.outage = outage;
        this.local = local;
        this.access = access;
        String url = config.jobs().publicUrl().toString();
        this.publicUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * @param workDir the execution's work directory, where the archive is staged
     * @throws PublishException naming the destination and the cause
     */
    public PublishedResult publish(Publication publication, JobResult result, Path workDir, DiskBudget budget)
            throws PublishException {
        Publisher publisher = publication.publisher();
        String destination = describe(publication);
        PublishedResult published;
        Path archive = workDir.resolve("result.tar.gz");
        Cid cid;
        try {
            ResultFiles files = ResultFiles.of(result, budget);
            cid = files.cid();
            published = publish(publication, files, archive, cid.toString(), destination);
        } catch (IOException
                | SdkException
                | IllegalArgumentException
                | RegistryException
                | DiskBudget.DiskBudgetExceededException
                | JobStorageAccess.AccessDeniedException e) {
            throw new PublishException("publishing the result to " + destination + " failed: " + reason(e), e, false);
        }
        try {
            content.keep(publication.tenant(), cid, archive);
        } catch (SdkException e) {
            throw new PublishException(
                    "keeping the result " + cid + " in the content store failed: " + reason(e), e, true);
        }
        return published;
    }

    /** Publishes to the publisher's destination; {@code archive} holds the result's {@code .tar.gz} after. */
    private PublishedResult publish(
            Publication publication, ResultFiles files, Path archive, String cid, String destination)
            throws IOException, PublishException, JobStorageAccess.AccessDeniedException {
        Publisher publisher = publication.publisher();
        byte[] checksum = files.writeTarGz(archive, publication.submittedAt());
        if (Publisher.LOCAL.equals(publisher.type())) {
            long bytes = Files.size(archive);
            Instant expiresAt = local.keep(publication.executionId(), archive);
            return PublishedResult.local(publicUrl + RESULTS_PATH + publication.executionId(), cid, bytes, expiresAt);
        }
        String endpoint = publisher.params().get("Endpoint");
        try {
            var published = publishS3(publication, files, archive, checksum, cid);
            outage.succeeded(endpoint);
            return published;
        } catch (SdkException e) {
            boolean down = outage.failed(endpoint, "publishing a result", e);
            throw new PublishException("publishing the result to " + destination + " failed: " + reason(e), e, down);
        }
    }

    /**
     * Deletes whatever {@link #publish} of {@code publication} wrote, whole or in part: the archive, or every object
     * under the plain result's prefix (all the job's own: {@link #publish} refuses to write under another's).
     *
     * @throws PublishException naming the destination and the cause
     */
    public void withdraw(Publication publication) throws PublishException {
        Publisher publisher = publication.publisher();
        try {
            if (Publisher.LOCAL.equals(publisher.type())) {
                local.remove(publication.executionId());
                return;
            }
            String bucket = publisher.params().get("Bucket");
            String key = key(publication);
            try (var lease = s3.lease(
                    publisher.params().get("Endpoint"), publisher.params().get("Region"))) {
                var client = lease.client();
                if (Publisher.PLAIN.equals(publisher.encoding())) {
                    client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(key)).contents().stream()
                            .forEach(object ->
                                    client.deleteObject(b -> b.bucket(bucket).key(object.key())));
                } else {
                    client.deleteObject(b -> b.bucket(bucket).key(key));
                }
            }
        } catch (IOException | SdkException e) {
            throw new PublishException(
                    "withdrawing the result from " + describe(publication) + " failed: " + reason(e), e, true);
        }
    }

    private PublishedResult publishS3(
            Publication publication, ResultFiles files, Path archive, byte[] sha256, String cid)
            throws IOException, JobStorageAccess.AccessDeniedException {
        Publisher publisher = publication.publisher();
        String bucket = publisher.params().get("Bucket");
        String key = key(publication);
        access.check(
                StorageGrants.Use.WRITE,
                publication.tenant(),
                publisher.params().get("Endpoint"),
                bucket,
                key);
        Map<String, String> metadata = Map.of(JOB_METADATA, publication.jobId());
        try (var lease =
                s3.lease(publisher.params().get("Endpoint"), publisher.params().get("Region"))) {
            var client = lease.client();
            if (Publisher.PLAIN.equals(publisher.encoding())) {
                for (ResultFiles.Entry entry : files.entries()) {
                    if (entry.directory()) {
                        continue;
                    }
                    RequestBody body = entry.file() != null
                            ? RequestBody.fromFile(entry.file())
                            : RequestBody.fromBytes(entry.bytes());
                    requireAbsentOrOwn(client, bucket, key + entry.name(), publication.jobId());
                    client.putObject(
                            b -> b.bucket(bucket).key(key + entry.name()).metadata(metadata), body);
                }
                return new PublishedResult(
                        Publisher.S3, bucket, key, lease.region(), lease.endpoint(), null, null, null, cid);
            }
            String checksum = Base64.getEncoder().encodeToString(sha256);
            requireAbsentOrOwn(client, bucket, key, publication.jobId());
            var response = client.putObject(
                    b -> b.bucket(bucket)
                            .key(key)
                            .metadata(metadata)
                            .contentType("application/gzip")
                            .checksumSHA256(checksum),
                    RequestBody.fromFile(archive));
            return new PublishedResult(
                    Publisher.S3,
                    bucket,
                    key,
                    lease.region(),
                    lease.endpoint(),
                    response.versionId(),
                    checksum,
                    null,
                    cid);
        }
    }

    /**
     * Refuses to replace an object that another job wrote (or that no job wrote): a job may only create objects, or
     * replace its own (a rerun of its execution writes the same keys). The key template always holds the job's own id,
     * so this stops a key that names another job's result literally.
     *
     * @throws IOException naming the object and its writer
     */
    private static void requireAbsentOrOwn(S3Client client, String bucket, String key, String jobId)
            throws IOException {
        String writer;
        try {
            writer =
                    client.headObject(b -> b.bucket(bucket).key(key)).metadata().get(JOB_METADATA);
        } catch (NoSuchKeyException e) {
            return;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return;
            }
            throw e;
        }
        if (!jobId.equals(writer)) {
            throw new IOException("s3://" + bucket + "/" + key + " exists and was written by "
                    + (writer == null ? "no Cidra job" : "another job") + "; a job may only create objects or"
                    + " replace its own");
        }
    }

    /** The expanded key: with {@code .tar.gz} for gzip, with a trailing {@code /} for plain. */
    static String key(Publication publication) {
        Publisher publisher = publication.publisher();
        String key = publisher
                .params()
                .get("Key")
                .replace("{jobID}", publication.jobId())
                .replace("{executionID}", publication.executionId())
                .replace("{nodeID}", publication.nodeId())
                .replace("{date}", DATE.format(publication.submittedAt()))
                .replace("{time}", TIME.format(publication.submittedAt()));
        if (Publisher.PLAIN.equals(publisher.encoding())) {
            return key.endsWith("/") ? key : key + "/";
        }
        return key.endsWith(".tar.gz") ? key : key + ".tar.gz";
    }

    private static String describe(Publication publication) {
        if (Publisher.LOCAL.equals(publication.publisher().type())) {
            return "the local results of this node";
        }
        return "s3://" + publication.publisher().params().get("Bucket") + "/" + key(publication);
    }

    private static String reason(Exception e) {
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            return "S3 answered HTTP " + s3e.statusCode() + " "
                    + s3e.awsErrorDetails().errorCode() + ": "
                    + s3e.awsErrorDetails().errorMessage();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
