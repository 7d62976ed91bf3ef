package dev.cidra.cli.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.contract.ApiKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCredentialsTest {
    @TempDir
    Path home;

    @Test
    void upCreatesAnAdminKeyOfTheDefaultTenantOwnerOnlyAndKeepsItOnTheNextUp() throws IOException {
        var credentials = LocalCredentials.of(home);
        credentials.ensure();
        String token = credentials.adminToken().orElseThrow();
        credentials.ensure();

        assertEquals(token, credentials.adminToken().orElseThrow());
        assertTrue(token.startsWith(ApiKey.TOKEN_PREFIX), token);
        List<ApiKey> keys = keys(credentials);
        assertEquals(1, keys.size());
        assertTrue(keys.getFirst().matches(ApiKey.sha256(token)));
        assertEquals(ApiKey.Role.ADMIN, keys.getFirst().role());
        assertEquals(ApiKey.DEFAULT_TENANT, keys.getFirst().tenant());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("auth"))));
        for (Path file :
                List.of(credentials.apiKeysFile(), credentials.adminTokenFile(), credentials.executorTokenFile())) {
            assertEquals(
                    "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
        assertTrue(!Files.readString(credentials.apiKeysFile()).contains(token), "the keys file holds no token");
    }

    @Test
    void anIssuedKeyIsAddedAsAHashWithItsTenantAndRole() throws IOException {
        var credentials = LocalCredentials.of(home);
        credentials.ensure();

        String token = credentials.issue(ApiKey.Role.USER, "team-a", "alice");

        assertNotEquals(credentials.adminToken().orElseThrow(), token);
        ApiKey key = keys(credentials).stream()
                .filter(k -> k.matches(ApiKey.sha256(token)))
                .findFirst()
                .orElseThrow();
        assertEquals(ApiKey.Role.USER, key.role());
        assertEquals("team-a", key.tenant());
        assertEquals("alice", key.name());
        assertEquals(2, keys(credentials).size());
    }

    @Test
    void issuingNeedsAStartedPlatformAndAValidTenant() throws IOException {
        var credentials = LocalCredentials.of(home);
        var notStarted = assertThrows(IllegalStateException.class, () -> credentials.issue(ApiKey.Role.USER, "t", "n"));
        assertTrue(notStarted.getMessage().contains("cidra up"), notStarted.getMessage());

        credentials.ensure();
        var invalid =
                assertThrows(IllegalArgumentException.class, () -> credentials.issue(ApiKey.Role.USER, "Team A", "n"));
        assertTrue(invalid.getMessage().startsWith("tenant must be"), invalid.getMessage());
    }

    @Test
    void tokenPrintsTheAdminTokenAndTokenCreateIssuesAKeyOfTheTenant() throws IOException {
        var credentials = LocalCredentials.of(home);
        var none = run("token", "--home", home.toString());
        assertEquals(1, none.exit());
        assertEquals("", none.out());

        credentials.ensure();
        var admin = run("token", "--home", home.toString());
        assertEquals(0, admin.exit());
        assertEquals(credentials.adminToken().orElseThrow() + "\n", admin.out());

        var created = run("token", "create", "--tenant", "team-a", "--home", home.toString());
        assertEquals(0, created.exit());
        String token = created.out().strip();
        ApiKey key = keys(credentials).stream()
                .filter(k -> k.matches(ApiKey.sha256(token)))
                .findFirst()
                .orElseThrow();
        assertEquals("team-a", key.tenant());
        assertEquals(ApiKey.Role.USER, key.role());

        Path elsewhere = home.resolve("k8s-api-keys");
        var into = run("token", "create", "--tenant", "ops", "--admin", "--keys-file", elsewhere.toString());
        assertEquals(0, into.exit());
        assertEquals(
                ApiKey.Role.ADMIN,
                ApiKey.parseFile(Files.readString(elsewhere)).getFirst().role());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(elsewhere)));
    }

    private record Ran(int exit, String out) {}

    private static Ran run(String... args) {
        var out = new java.io.StringWriter();
        var cli = new picocli.CommandLine(new TokenCommand());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter(), true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> 1);
        String[] rest = args[0].equals("token") ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        return new Ran(cli.execute(rest), out.toString());
    }

    private static List<ApiKey> keys(LocalCredentials credentials) throws IOException {
        return ApiKey.parseFile(Files.readString(credentials.apiKeysFile(), StandardCharsets.UTF_8));
    }
}
