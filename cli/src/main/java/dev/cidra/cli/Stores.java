package dev.cidra.cli;

import dev.cidra.registry.ContentStore;
import dev.cidra.registry.ModuleRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Turns {@code --store} specs into a {@link ModuleRegistry} with a disk cache under the user's cache directory. */
public final class Stores {
    private Stores() {}

    public static ModuleRegistry registry(List<String> specs) {
        var builder = ModuleRegistry.builder().diskCache(cacheDir());
        HttpClient http = null;
        for (String spec : specs) {
            if (spec.startsWith("ipfs:")) {
                http = http == null ? httpClient() : http;
                builder.store(ContentStore.ipfsGateway(URI.create(spec.substring("ipfs:".length())), http));
            } else if (spec.startsWith("http://") || spec.startsWith("https://")) {
                if (!spec.contains("{cid}")) {
                    throw new IllegalArgumentException("store " + spec + ": an http(s) store needs {cid} in its URL");
                }
                http = http == null ? httpClient() : http;
                builder.store(ContentStore.http(spec, http));
            } else if (spec.startsWith("s3://")) {
                String rest = spec.substring("s3://".length());
                int slash = rest.indexOf('/');
                String bucket = slash < 0 ? rest : rest.substring(0, slash);
                String prefix = slash < 0 ? "" : rest.substring(slash + 1);
                if (bucket.isEmpty()) {
                    throw new IllegalArgumentException("store " + spec + ": no bucket name");
                }
                builder.store(ContentStore.s3(s3Client(), bucket, prefix));
            } else {
                Path dir = Path.of(spec);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(
                            "store " + spec + ": not a directory, s3://, http(s):// or ipfs: store");
                }
                builder.store(ContentStore.directory(dir));
            }
        }
        return builder.build();
    }

    private static Path cacheDir() {
        String configured = System.getenv("CIDRA_CACHE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cidra").resolve("modules");
    }

    private static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** A client for the S3 endpoint, region and credentials of the environment (AWS_ENDPOINT_URL path-style). */
    public static S3Client s3Client() {
        var builder = S3Client.builder().httpClient(ApacheHttpClient.create());
        if (System.getenv("AWS_ENDPOINT_URL") != null) {
            builder.forcePathStyle(true);
        }
        return builder.build();
    }
}
