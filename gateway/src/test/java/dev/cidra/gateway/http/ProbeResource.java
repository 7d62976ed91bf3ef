package dev.cidra.gateway.http;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Test-only endpoints that reach the error paths the modules API cannot: a JSON body (for the JSON mapper) and an
 * unexpected failure (for the catch-all).
 */
@Path("/test-probe")
public class ProbeResource {
    /** The secret the catch-all must not leak. */
    static final String INTERNAL_DETAIL = "internal detail s3://secret-bucket";

    /** A JSON body with a typed field. */
    public record Order(String name, List<Integer> quantities) {}

    @POST
    @Path("/json")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Order echo(Order order) {
        return order;
    }

    @GET
    @Path("/fail")
    public String fail() {
        throw new IllegalStateException(INTERNAL_DETAIL);
    }
}
