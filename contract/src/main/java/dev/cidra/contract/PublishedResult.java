package dev.cidra.contract;

import java.time.Instant;

/**
 * Where an execution's result was published: Bacalhau's result spec. Fields a publisher type does not use are null.
 *
 * @param type the {@link Publisher} type that published it
 * @param bucket S3: the bucket
 * @param key S3: the object key ({@code .tar.gz}) or the key prefix (plain encoding, ends in {@code /})
 * @param region S3: the region
 * @param endpoint S3: the endpoint the executor wrote to; null for AWS
 * @param versionId S3: the object's version when the bucket is versioned (gzip encoding only)
 * @param checksumSha256 S3, gzip encoding: the base64 SHA-256 of the archive
 * @param url local: where the archive is served over HTTP
 * @param cid the UnixFS CIDv1 of the result directory ({@code exitCode}, {@code stderr}, {@code stdout} and the output
 *     directories), exactly what {@code ipfs add -r --hidden --cid-version=1} prints for it; any publisher
 * @param bytes local: the archive's size, what the platform keeps for the job's tenant (counted against
 *     {@code cidra.quotas.result-bytes}); null for results kept in the tenant's own buckets
 * @param expiresAt local: when the executor deletes the archive ({@code cidra.jobs.results-retention} after it was
 *     kept); null for results kept until someone deletes them
 */
public record PublishedResult(
        String type,
        String bucket,
        String key,
        String region,
        String endpoint,
        String versionId,
        String checksumSha256,
        String url,
        String cid,
        Long bytes,
        Instant expiresAt) {
    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public PublishedResult {
        if (Publisher.S3.equals(type)) {
            Require.nonBlank(bucket, "bucket");
            Require.nonBlank(key, "key");
        } else if (Publisher.LOCAL.equals(type)) {
            Require.nonBlank(url, "url");
        } else {
            throw new IllegalArgumentException("published result type must be " + Publisher.S3 + " or "
                    + Publisher.LOCAL + ", not " + (type == null ? "null" : "\"" + type + "\""));
        }
        if (bytes != null) {
            Require.atLeast(bytes, 0, "bytes");
        }
    }

    /** A result kept until someone deletes it, its size not counted: what the {@code s3} publisher makes. */
    public PublishedResult(
            String type,
            String bucket,
            String key,
            String region,
            String endpoint,
            String versionId,
            String checksumSha256,
            String url,
            String cid) {
        this(type, bucket, key, region, endpoint, versionId, checksumSha256, url, cid, null, null);
    }

    /** A result the executor keeps and serves at {@code url}; the other fields as above. */
    public static PublishedResult local(String url, String cid, Long bytes, Instant expiresAt) {
        return new PublishedResult(Publisher.LOCAL, null, null, null, null, null, null, url, cid, bytes, expiresAt);
    }
}
