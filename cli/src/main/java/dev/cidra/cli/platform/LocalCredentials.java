package dev.cidra.cli.platform;

import dev.cidra.contract.ApiKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The credentials of a local platform, in {@code auth/} of its state directory, readable by its owner only (directory
 * 0700, files 0600): {@code api-keys} (the hashed API keys the gateway accepts, see {@link ApiKey}), {@code admin-token}
 * (the token of the admin key {@code up} creates, tenant {@value ApiKey#DEFAULT_TENANT}) and {@code executor-token}
 * (the token the gateway shows the executor to download local results).
 */
public final class LocalCredentials {

    private final Path dir;

    private LocalCredentials(Path dir) {
        this.dir = dir;
    }

    /** The credentials of the state directory {@code home}, which need not exist yet. */
    public static LocalCredentials of(Path home) {
        return new LocalCredentials(home.resolve("auth"));
    }

    /** The directory of the credentials. */
    Path dir() {
        return dir;
    }

    Path apiKeysFile() {
        return dir.resolve("api-keys");
    }

    Path adminTokenFile() {
        return dir.resolve("admin-token");
    }

    Path executorTokenFile() {
        return dir.resolve("executor-token");
    }

    /**
     * Creates what is missing: the directory, an admin key of the default tenant with its token, the executor token.
     * Existing credentials are kept, so a second {@code up} leaves every issued token valid.
     */
    void ensure() throws IOException {
        createOwnerOnlyDirectory(dir);
        if (!Files.exists(adminTokenFile())) {
            String token = ApiKey.newToken();
            append(ApiKey.of(token, ApiKey.Role.ADMIN, ApiKey.DEFAULT_TENANT, "cidra-up-admin"));
            OwnerOnlyFiles.write(adminTokenFile(), token + "\n");
        }
        if (!Files.exists(executorTokenFile())) {
            OwnerOnlyFiles.write(executorTokenFile(), ApiKey.newToken() + "\n");
        }
    }

    /** The admin token {@code up} created, if it did. */
    public Optional<String> adminToken() throws IOException {
        return Files.exists(adminTokenFile())
                ? Optional.of(Files.readString(adminTokenFile(), StandardCharsets.UTF_8)
                        .strip())
                : Optional.empty();
    }

    /**
     * Issues a new key: adds its hash to {@code api-keys} (the gateway reads it again within a second) and answers its
     * token, which is stored nowhere.
     *
     * @throws IllegalStateException if the platform was never started here (there is no keys file to add to)
     */
    public String issue(ApiKey.Role role, String tenant, String name) throws IOException {
        if (!Files.exists(apiKeysFile())) {
            throw new IllegalStateException(
                    "there is no " + apiKeysFile() + ": start the platform with `cidra up` first");
        }
        return issue(apiKeysFile(), role, tenant, name);
    }

    /**
     * Issues a new key into the API keys file {@code keysFile} (created owner-only if missing), e.g. the source of a
     * Kubernetes Secret, and answers its token.
     */
    static String issue(Path keysFile, ApiKey.Role role, String tenant, String name) throws IOException {
        String token = ApiKey.newToken();
        append(keysFile, ApiKey.of(token, role, tenant, name));
        return token;
    }

    private void append(ApiKey key) throws IOException {
        append(apiKeysFile(), key);
    }

    private static void append(Path keysFile, ApiKey key) throws IOException {
        String existing = Files.exists(keysFile)
                ? Files.readString(keysFile, StandardCharsets.UTF_8)
                : "# Cidra API keys (hashes, never tokens; `cidra token create` adds one)\n";
        OwnerOnlyFiles.write(keysFile, existing + key.line() + "\n");
    }

    /** Creates {@code directory} (and its parents) if missing, the directory itself readable by its owner only. */
    static void createOwnerOnlyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(
                    directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }
}
