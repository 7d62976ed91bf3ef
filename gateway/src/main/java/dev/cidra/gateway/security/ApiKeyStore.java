package dev.cidra.gateway.security;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cidra.contract.ApiKey;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The API keys of {@link AuthConfig#apiKeysFile()}, read at startup and again whenever the file's modification time or
 * size changes (checked at most once a second). A token is looked up by its SHA-256, compared with every key in
 * constant time.
 */
@Singleton
@Startup
class ApiKeyStore {
    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class);
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Optional<Path> file;
    private final Ticker ticker;
    private volatile Snapshot snapshot;

    /** The keys as read from one version of the file. */
    private record Snapshot(List<ApiKey> keys, FileTime modified, long size, long checkedAt) {}

    /**
     * @throws IllegalStateException if the configured file cannot be read or holds a line that is not a key
     */
    ApiKeyStore(AuthConfig config, Ticker ticker) {
        this.file = config.apiKeysFile();
        this.ticker = ticker;
        if (file.isEmpty()) {
            LOG.warn("cidra.auth.api-keys-file is not set: no API key is valid, every API call is refused with 401");
            snapshot = new Snapshot(List.of(), FileTime.fromMillis(0), -1, Long.MAX_VALUE);
            return;
        }
        try {
            snapshot = read(file.get(), ticker.read());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cidra.auth.api-keys-file " + file.get() + " cannot be used: " + e.getMessage(), e);
        }
        LOG.infof("%d API keys read from %s", snapshot.keys().size(), file.get());
    }

    /** The key of {@code token}, if the file holds one. */
    Optional<ApiKey> find(String token) {
        byte[] sha256 = ApiKey.sha256(token);
        ApiKey found = null;
        for (ApiKey key : current().keys()) {
            if (key.matches(sha256)) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    private Snapshot current() {
        Snapshot seen = snapshot;
        long now = ticker.read();
        if (file.isEmpty() || now - seen.checkedAt() < RECHECK_NANOS) {
            return seen;
        }
        Path path = file.get();
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            long size = Files.size(path);
            if (modified.equals(seen.modified()) && size == seen.size()) {
                snapshot = new Snapshot(seen.keys(), modified, size, now);
            } else {
                snapshot = read(path, now);
                LOG.infof("%d API keys read again from %s", snapshot.keys().size(), path);
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.errorf(
                    "the API keys file %s cannot be read again, the previous keys stay valid: %s",
                    path, e.getMessage());
            snapshot = new Snapshot(seen.keys(), seen.modified(), seen.size(), now);
        }
        return snapshot;
    }

    private static Snapshot read(Path path, long now) throws IOException {
        FileTime modified = Files.getLastModifiedTime(path);
        long size = Files.size(path);
        List<ApiKey> keys = ApiKey.parseFile(Files.readString(path, StandardCharsets.UTF_8));
        return new Snapshot(List.copyOf(keys), modified, size, now);
    }
}
