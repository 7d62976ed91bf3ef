package dev.cidra.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One platform-issued API key as the gateway stores it: the SHA-256 of the token (never the token), the role it grants
 * and the tenant it acts for. An API keys file holds one key a line, {@code sha256:<64 hex> <role> <tenant> <name>};
 * blank lines and lines starting with {@code #} are ignored. The token itself is {@code cidra_} followed by 32 random
 * bytes in unpadded base64url: with 256 bits of entropy a single unsalted SHA-256 is as strong as a password hash.
 *
 * @param sha256 the SHA-256 of the token's UTF-8 bytes, 32 bytes
 * @param role what the key may do
 * @param tenant the tenant whose jobs, triggers and results the key acts on ({@link #TENANT} rule)
 * @param name a label for operators (who holds the key), a non-blank token without spaces
 */
public record ApiKey(byte[] sha256, Role role, String tenant, String name) {
    /** The prefix of every token, so that a leaked one is recognizable (secret scanners, logs). */
    public static final String TOKEN_PREFIX = "cidra_";

    /** The tenant {@code cidra up} creates, and the one of jobs that name none. */
    public static final String DEFAULT_TENANT = "default";

    /** Tenant names: lowercase letters, digits and '-', starting alphanumeric, at most 63 characters. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private static final Pattern NAME = Pattern.compile("\\S{1,128}");
    private static final String HASH_PREFIX = "sha256:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 32;

    /** The roles a key grants. */
    public enum Role {
        /** Every tenant's jobs, triggers and results. */
        ADMIN,
        /** Its own tenant's jobs, triggers and results. */
        USER;

        /** The role's name in a keys file and in the security identity: {@code admin}, {@code user}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Role of(String id) {
            for (Role role : values()) {
                if (role.id().equals(id)) {
                    return role;
                }
            }
            throw new IllegalArgumentException("role must be admin or user, not \"" + id + "\"");
        }
    }

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public ApiKey {
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("sha256 must be 32 bytes");
        }
        sha256 = sha256.clone();
        if (role == null) {
            throw new IllegalArgumentException("role must be admin or user, not null");
        }
        tenant(tenant);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 128 characters without spaces, not "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
    }

    /** A new key for {@code token}. */
    public static ApiKey of(String token, Role role, String tenant, String name) {
        return new ApiKey(sha256(token), role, tenant, name);
    }

    /**
     * Checks a tenant name.
     *
     * @return {@code tenant}
     * @throws IllegalArgumentException if it breaks the {@link #TENANT} rule
     */
    public static String tenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException(
                    "tenant must be 1 to 63 lowercase letters, digits or '-', starting with a"
                            + " letter or digit, not " + (tenant == null ? "null" : "\"" + tenant + "\""));
        }
        return tenant;
    }

    /** A fresh token: {@value #TOKEN_PREFIX} and 32 bytes from a {@link SecureRandom}, base64url. */
    public static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of {@code token}'s UTF-8 bytes. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether this key is the one of the token whose SHA-256 is {@code tokenSha256}, compared in constant time. */
    public boolean matches(byte[] tokenSha256) {
        return MessageDigest.isEqual(sha256, tokenSha256);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** The key's line in an API keys file (no line break). */
    public String line() {
        return HASH_PREFIX + HexFormat.of().formatHex(sha256) + " " + role.id() + " " + tenant + " " + name;
    }

    /**
     * The keys of an API keys file's text.
     *
     * @throws IllegalArgumentException naming the line that is not a key
     */
    public static List<ApiKey> parseFile(String text) {
        var keys = new ArrayList<ApiKey>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    private static ApiKey parse(String line) {
        String[] fields = line.split("\\s+");
        if (fields.length != 4) {
            throw new IllegalArgumentException(
                    "a key is 'sha256:<64 hex digits> <admin|user> <tenant> <name>', four fields, not "
                            + fields.length);
        }
        String hash = fields[0];
        if (!hash.startsWith(HASH_PREFIX) || hash.length() != HASH_PREFIX.length() + 64) {
            throw new IllegalArgumentException("the first field must be sha256: and 64 hex digits");
        }
        byte[] sha256;
        try {
            sha256 = HexFormat.of().parseHex(hash, HASH_PREFIX.length(), hash.length());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the first field must be sha256: and 64 hex digits", e);
        }
        return new ApiKey(sha256, Role.of(fields[1]), fields[2], fields[3]);
    }
}
