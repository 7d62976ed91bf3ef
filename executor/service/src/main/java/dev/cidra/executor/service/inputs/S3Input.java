package dev.cidra.executor.service.inputs;

import dev.cidra.contract.InputSource;
import dev.cidra.executor.service.execution.DiskBudget;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Downloads an {@value InputSource#S3} input into a directory: a single object as {@code <dir>/<basename of Key>}; for
 * a {@code Key} ending in {@code /} every object below it, and for a {@code Key} ending in {@code *} every object whose
 * key starts with the rest, each at its key relative to the prefix's directory. {@code Filter} (a regex found in the
 * whole key) narrows a listing; {@code VersionID} and {@code ChecksumSHA256} (verified) apply to single objects only.
 * Keys with {@code ..} or empty segments are refused. Stateless.
 */
final class S3Input {
    private S3Input() {}

    static void fetch(InputSource input, S3Client s3, Path dir, DiskBudget budget) throws IOException, InputException {
        String bucket = input.param("Bucket");
        String key = input.param("Key");
        checkSegments(key, "Key \"" + key + "\"", true);
        String versionId = input.param("VersionID");
        String checksum = input.param("ChecksumSHA256");
        String filter = input.param("Filter");
        try {
            if (key.endsWith("/") || key.endsWith("*")) {
                if (versionId != null || checksum != null) {
                    throw new InputException((versionId != null ? "VersionID" : "ChecksumSHA256")
                            + " applies to a single object, not to the prefix " + key);
                }
                fetchPrefix(s3, bucket, key, filter, dir, budget);
            } else {
                if (filter != null) {
                    throw new InputException("Filter applies to a prefix (a Key ending in / or *), not to the single"
                            + " object " + key);
                }
                byte[] expected = checksum == null ? null : decodeChecksum(checksum);
                String name = key.substring(key.lastIndexOf('/') + 1);
                byte[] actual = download(s3, bucket, key, versionId, dir.resolve(name), budget);
                if (expected != null && !MessageDigest.isEqual(expected, actual)) {
                    throw new InputException(
                            "checksum mismatch: ChecksumSHA256 is " + checksum + " but the object's SHA-256 is "
                                    + Base64.getEncoder().encodeToString(actual));
                }
            }
        } catch (NoSuchBucketException e) {
            throw new InputException("no bucket " + bucket, e);
        } catch (NoSuchKeyException e) {
            throw new InputException(
                    "no object s3://" + bucket + "/" + key + (versionId == null ? "" : " version " + versionId), e);
        } catch (S3Exception e) {
            var details = e.awsErrorDetails();
            throw new InputException(
                    "S3 answered HTTP " + e.statusCode() + " "
                            + (details == null ? e.getMessage() : details.errorCode() + ": " + details.errorMessage()),
                    e);
        } catch (SdkClientException e) {
            throw new InputException("cannot reach S3: " + e.getMessage(), e);
        }
    }

    private static void fetchPrefix(S3Client s3, String bucket, String key, String filter, Path dir, DiskBudget budget)
            throws IOException, InputException {
        String prefix = key.endsWith("*") ? key.substring(0, key.length() - 1) : key;
        String base = prefix.substring(0, prefix.lastIndexOf('/') + 1);
        Pattern pattern;
        try {
            pattern = filter == null ? null : Pattern.compile(filter);
        } catch (PatternSyntaxException e) {
            throw new InputException("Filter is not a valid regex: " + e.getMessage(), e);
        }
        int objects = 0;
        for (S3Object object :
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            String objectKey = object.key();
            if (objectKey.endsWith("/")
                    || (pattern != null && !pattern.matcher(objectKey).find())) {
                continue;
            }
            String relative = objectKey.substring(base.length());
            checkSegments(relative, "object key \"" + objectKey + "\"", false);
            download(s3, bucket, objectKey, null, dir.resolve(relative), budget);
            objects++;
        }
        if (objects == 0) {
            throw new InputException("no object in bucket " + bucket + " matches " + key
                    + (filter == null ? "" : " and Filter \"" + filter + "\""));
        }
    }

    /** Downloads one object to {@code file}; returns its SHA-256. */
    private static byte[] download(
            S3Client s3, String bucket, String key, String versionId, Path file, DiskBudget budget)
            throws IOException, InputException {
        String what = "s3://" + bucket + "/" + key;
        try (var in = s3.getObject(b -> b.bucket(bucket).key(key).versionId(versionId))) {
            Long length = in.response().contentLength();
            if (length != null && length > budget.remaining()) {
                budget.take(length, what + " (" + length + " bytes)"); // fails before any byte is read
            }
            return Downloads.copy(in, file, budget, what, Long.MAX_VALUE, null);
        } catch (FileAlreadyExistsException e) {
            throw new InputException(what + " and another key map to the same file " + file.getFileName(), e);
        }
    }

    /** Refuses '.' and '..' segments, and in a relative path (one that becomes a file) empty segments too. */
    private static void checkSegments(String path, String what, boolean emptyAllowed) throws InputException {
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".") || (segment.isEmpty() && !emptyAllowed)) {
                throw new InputException(what + " has a '" + segment + "' segment; keys with '..' or '.' segments,"
                        + " and files with empty ones, are refused");
            }
        }
    }

    private static byte[] decodeChecksum(String checksum) throws InputException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(checksum);
        } catch (IllegalArgumentException e) {
            throw new InputException("ChecksumSHA256 \"" + checksum + "\" is not base64: " + e.getMessage(), e);
        }
        if (bytes.length != 32) {
            throw new InputException("ChecksumSHA256 \"" + checksum + "\" decodes to " + bytes.length
                    + " bytes, not the 32 of a SHA-256");
        }
        return bytes;
    }
}
