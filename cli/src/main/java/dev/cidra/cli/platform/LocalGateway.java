package dev.cidra.cli.platform;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Where the gateway of a local platform listens. */
public final class LocalGateway {
    /** The gateway's port when {@code cidra up} is given no {@code --gateway-port}. */
    static final String DEFAULT_PORT = "8080";

    /** The gateway's URL when {@code cidra up} is given no {@code --gateway-port}. */
    public static final String DEFAULT_URL = "http://" + Ports.HOST + ":" + DEFAULT_PORT;

    private LocalGateway() {}

    /**
     * The gateway URL {@code cidra up} recorded in the state directory {@code home}, or empty when it records none (the
     * platform was never started there, or was stopped).
     *
     * @throws IOException if the recorded ports cannot be read
     */
    public static Optional<URI> recorded(Path home) throws IOException {
        return PlatformHome.of(home).ports().map(Ports::gatewayUri);
    }
}
