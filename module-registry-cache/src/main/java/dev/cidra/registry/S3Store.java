package dev.cidra.registry;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Objects {@code keyPrefix + cid} in one S3 bucket. Thread-safe because {@link S3Client} is. */
final class S3Store implements ContentStore {
    private final S3Client client;
    private final String bucket;
    private final String keyPrefix;

    S3Store(S3Client client, String bucket, String keyPrefix) {
        this.client = Objects.requireNonNull(client, "client");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("S3 bucket name is empty");
        }
    }

    @Override
    public Optional<byte[]> fetch(Cid cid, long maxBytes) {
        Objects.requireNonNull(cid, "cid");
        ContentChecks.checkLimit(maxBytes);
        String key = keyPrefix + cid;
        byte[] content;
        try (var in = client.getObject(request -> request.bucket(bucket).key(key))) {
            Long declared = in.response().contentLength();
            if (declared != null && declared > maxBytes) {
                throw abortTooLarge(in, cid, maxBytes);
            }
            content = ContentChecks.readUpTo(in, maxBytes);
            if (content.length > maxBytes) {
                throw abortTooLarge(in, cid, maxBytes);
            }
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return Optional.empty();
            }
            throw failure(cid, key, e);
        } catch (SdkException | IOException e) {
            throw failure(cid, key, e);
        }
        return Optional.of(ContentChecks.verified(cid, content, describe() + cid));
    }

    /** Closes the connection instead of draining the rest of the object. */
    private ModuleTooLargeException abortTooLarge(ResponseInputStream<?> in, Cid cid, long maxBytes) {
        in.abort();
        return ContentChecks.tooLarge(cid, maxBytes, describe() + cid);
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e.awsErrorDetails() != null
                && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    private RegistryException failure(Cid cid, String key, Exception e) {
        return new RegistryException(
                "cannot get s3://" + bucket + "/" + key + " for module " + cid + ": " + e.getMessage(), e);
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + keyPrefix;
    }

    @Override
    public String toString() {
        return describe();
    }
}
