package dev.cidra.cli.api;

import dev.cidra.cli.platform.HomeOption;
import dev.cidra.cli.platform.LocalGateway;
import java.io.IOException;
import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which gateway a command talks to: {@code --api}, else {@code $CIDRA_API}, else the local platform's. */
final class GatewayOption {
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

    /** A client of the gateway. */
    Gateway open() throws IOException {
        return new Gateway(uri());
    }
}
