package dev.cidra.cli.api;

import dev.cidra.cli.platform.HomeOption;
import dev.cidra.cli.platform.LocalCredentials;
import dev.cidra.cli.platform.LocalGateway;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which gateway a command talks to: {@code --api}, else {@code $CIDRA_API}, else the local platform's; and with which
 * API key: {@code $CIDRA_TOKEN}, else the local platform's admin token when the gateway is the local one.
 */
final class GatewayOption {
    /** The environment variable that holds the caller's API key. */
    static final String TOKEN_VARIABLE = "CIDRA_TOKEN";

    @Option(
            names = "--api",
            paramLabel = "URL",
            defaultValue = "${env:CIDRA_API}",
            description = "The gateway's base URL. Default: $CIDRA_API, else the gateway `cidra up` started in --home,"
                    + " else " + LocalGateway.DEFAULT_URL + ".")
    String api;

    @Mixin
    HomeOption home;

    /** The gateway's base URL. */
    URI uri() throws IOException {
        if (api != null && !api.isBlank()) {
            URI uri = URI.create(api.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("the gateway URL must be http:// or https://, not " + api);
            }
            return uri;
        }
        return LocalGateway.recorded(home.dir()).orElse(URI.create(LocalGateway.DEFAULT_URL));
    }

    /** A client of the gateway, sending the caller's token. */
    Gateway open() throws IOException {
        URI uri = uri();
        return new Gateway(uri, token(uri));
    }

    /** What turns a command's MODULE into a CID the gateway stores, uploading through {@code gateway}. */
    ModuleSource modules(Gateway gateway) {
        return new ModuleSource(gateway, FileCids.in(home.dir()), System.err);
    }

    /**
     * {@code $CIDRA_TOKEN}, else the admin token of the local platform in {@code --home} when {@code uri} is its
     * gateway: that token is never sent anywhere else.
     */
    private Optional<String> token(URI uri) throws IOException {
        String token = System.getenv(TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            return Optional.of(token.strip());
        }
        Optional<URI> local = LocalGateway.recorded(home.dir());
        if (local.isPresent() && local.get().equals(uri)) {
            return LocalCredentials.of(home.dir()).adminToken();
        }
        return Optional.empty();
    }
}
