package dev.cidra.cli.platform;

import dev.cidra.contract.ApiKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cidra token}: the local platform's admin token, and new API keys for it. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Print the admin API key `cidra up` created (tenant " + ApiKey.DEFAULT_TENANT
                + "), for curl and scripts: curl -H \"Authorization: Bearer $(cidra token)\" ...",
        subcommands = TokenCommand.Create.class,
        footer = {"", "Examples:", "  cidra token", "  cidra token create --tenant team-a --name alice"})
public final class TokenCommand implements Callable<Integer> {
    @Mixin
    HomeOption home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String token = LocalCredentials.of(PlatformHome.of(home.dir()).dir())
                .adminToken()
                .orElseThrow(() -> new IllegalStateException(
                        "no admin token in " + home.dir() + ": start the platform with `cidra up` first"));
        spec.commandLine().getOut().println(token);
        return 0;
    }

    /** {@code cidra token create}: a new API key of the local platform. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Issue a new API key of the local platform and print its token (stored nowhere: keep it)."
                    + " Its hash is added to auth/api-keys in --home (the gateway accepts it within a second), or to"
                    + " --keys-file: the file a gateway elsewhere reads as cidra.auth.api-keys-file (e.g. the source of"
                    + " its Kubernetes Secret).",
            footer = {
                "",
                "Examples:",
                "  cidra token create --tenant team-a",
                "  cidra token create --tenant ops --admin --name oncall",
                "  cidra token create --tenant team-b --keys-file k8s-secrets/api-keys"
            })
    static final class Create implements Callable<Integer> {
        @Mixin
        HomeOption home;

        @Option(
                names = "--tenant",
                required = true,
                description = "The tenant the key acts for: lowercase letters, digits and '-'.")
        String tenant;

        @Option(names = "--admin", description = "An admin key: it sees and changes every tenant's jobs and triggers.")
        boolean admin;

        @Option(names = "--name", description = "Who holds the key, for the gateway's logs. Default: the tenant.")
        String name;

        @Option(
                names = "--keys-file",
                paramLabel = "FILE",
                description = "Add the key to this API keys file (created owner-only if missing) instead of the local"
                        + " platform's.")
        Path keysFile;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ApiKey.tenant(tenant);
            ApiKey.Role role = admin ? ApiKey.Role.ADMIN : ApiKey.Role.USER;
            String holder = name == null ? tenant : name;
            String token = keysFile != null
                    ? LocalCredentials.issue(keysFile, role, tenant, holder)
                    : LocalCredentials.of(PlatformHome.of(home.dir()).dir()).issue(role, tenant, holder);
            spec.commandLine().getOut().println(token);
            return 0;
        }
    }
}
