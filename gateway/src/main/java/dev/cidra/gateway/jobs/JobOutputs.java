package dev.cidra.gateway.jobs;

import dev.cidra.contract.Publisher;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.security.ExecutorToken;
import dev.cidra.gateway.security.ResultLocations;
import dev.cidra.registry.S3Config;
import dev.cidra.registry.S3Connection;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Streams a job's published result: an S3 {@code gzip} result is its {@code .tar.gz} object, an S3 {@code plain} result
 * a tar stream of the objects under its prefix (named relative to it, in key order), a {@code local} result the
 * archive the executor serves. S3 results are read with the gateway's own client when they were published to its
 * object store (same endpoint and region), else with a client for their endpoint and the AWS default credentials.
 * The result is located (and an S3 object opened) before anything is streamed, so a missing result is an exception,
 * not a truncated body. Thread-safe.
 */
@Singleton
public class JobOutputs {
    /** An opened result: its media type and the body to write. */
    public record Output(String mediaType, String fileName, Body body) {}

    /** Writes a result; releases what it holds once written, or when writing fails. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final JobView view;
    private final S3Client s3;
    private final S3Config config;
    private final ExecutorToken executorToken;
    private final ResultLocations locations;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    JobOutputs(
            JobView view, S3Client s3, GatewayConfig config, ExecutorToken executorToken, ResultLocations locations) {
        this.view = view;
        this.s3 = s3;
        this.config = config.s3();
        this.executorToken = executorToken;
        this.locations = locations;
    }

    /**
     * Locates and opens a job's result.
     *
     * @throws JobNotFoundException if the job is unknown here, or another tenant's
     * @throws ResultNotPublishedException if the job has no published result (its state in the message)
     * @throws ResultUnavailableException if the result cannot be read where it was published, or its events name a
     *     location the gateway does not read ({@link ResultLocations})
     */
    public Output open(String jobId, Caller caller) {
        JobStatus job = view.find(jobId, caller).orElseThrow(() -> new JobNotFoundException(jobId));
        JobStatus.Result result = job.result();
        if (result == null) {
            throw new ResultNotPublishedException("job " + jobId + " is "
                    + job.state().json()
                    + (job.state().terminal() ? " and published no result" : "; it has no published result yet"));
        }
        locations.refusal(job).ifPresent(reason -> {
            throw new ResultUnavailableException(
                    "job " + jobId + " names a result the gateway does not read: " + reason, null);
        });
        if (Publisher.LOCAL.equals(result.type())) {
            return local(jobId, result.url());
        }
        S3Client client = sameStore(result) ? s3 : foreignClient(result);
        boolean own = client == s3;
        try {
            return result.key().endsWith("/") ? tar(jobId, client, own, result) : gzip(jobId, client, own, result);
        } catch (RuntimeException e) {
            if (!own) {
                client.close();
            }
            throw e;
        }
    }

    private Output gzip(String jobId, S3Client client, boolean own, JobStatus.Result result) {
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = client.getObject(
                    request -> request.bucket(result.bucket()).key(result.key()).versionId(result.versionId()));
        } catch (SdkException e) {
            throw unreadable(result, e);
        }
        return new Output("application/gzip", jobId + ".tar.gz", out -> {
            try (object) {
                object.transferTo(out);
            } finally {
                closeIfForeign(client, own);
            }
        });
    }

    private Output tar(String jobId, S3Client client, boolean own, JobStatus.Result result) {
        List<S3Object> objects = new ArrayList<>();
        try {
            client
                    .listObjectsV2Paginator(
                            request -> request.bucket(result.bucket()).prefix(result.key()))
                    .contents()
                    .stream()
                    .filter(object ->
                            safeEntryName(object.key().substring(result.key().length())))
                    .forEach(objects::add);
        } catch (SdkException e) {
            throw unreadable(result, e);
        }
        return new Output("application/x-tar", jobId + ".tar", out -> {
            try {
                var archive = new TarArchiveOutputStream(new UnclosedOutputStream(out));
                archive.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                archive.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                for (S3Object listed : objects) {
                    try (ResponseInputStream<GetObjectResponse> object = client.getObject(
                            request -> request.bucket(result.bucket()).key(listed.key()))) {
                        var entry = new TarArchiveEntry(
                                listed.key().substring(result.key().length()));
                        entry.setSize(object.response().contentLength());
                        entry.setModTime(Date.from(listed.lastModified()));
                        archive.putArchiveEntry(entry);
                        object.transferTo(archive);
                        archive.closeArchiveEntry();
                    }
                }
                archive.close(); // writes the end of the archive; the response stream stays open
            } catch (SdkException e) {
                throw new IOException(
                        "the result under s3://" + result.bucket() + "/" + result.key() + " could not be read whole: "
                                + e.getMessage(),
                        e);
            } finally {
                closeIfForeign(client, own);
            }
        });
    }

    private Output local(String jobId, String url) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    executorToken
                            .authorize(HttpRequest.newBuilder(URI.create(url)))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            throw new ResultUnavailableException("the result at " + url + " cannot be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResultUnavailableException("interrupted while reading the result at " + url, e);
        }
        if (response.statusCode() != 200) {
            try {
                response.body().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new ResultUnavailableException(
                    "the result at " + url + " cannot be read: HTTP " + response.statusCode(), null);
        }
        return new Output("application/gzip", jobId + ".tar.gz", out -> {
            try (InputStream body = response.body()) {
                body.transferTo(out);
            }
        });
    }

    private boolean sameStore(JobStatus.Result result) {
        Optional<String> own = config.endpoint().map(JobOutputs::normalized);
        Optional<String> theirs =
                Optional.ofNullable(result.endpoint()).map(URI::create).map(JobOutputs::normalized);
        return own.equals(theirs) && (result.region() == null || result.region().equalsIgnoreCase(config.region()));
    }

    private S3Client foreignClient(JobStatus.Result result) {
        return new S3Connection(
                        Optional.ofNullable(result.endpoint()).map(URI::create),
                        result.region() == null ? config.region() : result.region(),
                        Optional.empty(),
                        Optional.empty())
                .newClient();
    }

    private void closeIfForeign(S3Client client, boolean own) {
        if (!own) {
            client.close();
        }
    }

    private static String normalized(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static ResultUnavailableException unreadable(JobStatus.Result result, SdkException e) {
        return new ResultUnavailableException(
                "the result s3://" + result.bucket() + "/" + result.key() + " cannot be read: " + e.getMessage(), e);
    }

    /** Passes writes through but not {@code close()}: the response stream is the container's to close. */
    private static final class UnclosedOutputStream extends java.io.FilterOutputStream {
        UnclosedOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * Whether an object below a plain result's prefix can be a tar entry that extracts inside the caller's directory:
     * a relative path without empty, {@code .} or {@code ..} segments. Other objects (not written by a publisher) are
     * left out of the archive.
     */
    static boolean safeEntryName(String name) {
        if (name.isEmpty() || name.startsWith("/")) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
