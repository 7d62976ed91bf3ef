package dev.cidra.gateway.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /} is the console: a person who opens the gateway's address lands on it. */
@Path("/")
public class ConsoleRedirect {
    @GET
    @Operation(hidden = true)
    public Response root() {
        return Response.seeOther(URI.create("/console/")).build();
    }
}
