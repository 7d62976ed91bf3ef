package dev.cidra.executor.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.executor.service.publishing.LocalResults;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;

/**
 * Serves the results the {@code local} publisher kept on this node: {@code GET /v1/results/<executionId>} answers the
 * {@code .tar.gz}; an unknown execution is 404 and an id that is not a plain token 400, both as
 * {@code application/problem+json} (RFC 9457).
 */
@Path("/v1/results")
public class ResultResource {
    static final String PROBLEM_JSON = "application/problem+json";

    private final LocalResults results;
    private final ObjectMapper json;

    ResultResource(LocalResults results, ObjectMapper json) {
        this.results = results;
        this.json = json;
    }

    @GET
    @Path("/{executionId}")
    @Produces({"application/gzip", PROBLEM_JSON})
    public Response get(@PathParam("executionId") String executionId) {
        if (!LocalResults.isToken(executionId)) {
            return problem(
                    Response.Status.BAD_REQUEST,
                    "execution id \"" + executionId + "\" is not a plain token of letters, digits, '.', '_' and '-'");
        }
        return results.find(executionId)
                .map(file -> Response.ok(file.toFile(), "application/gzip")
                        .header("Content-Disposition", "attachment; filename=\"" + executionId + ".tar.gz\"")
                        .build())
                .orElseGet(() ->
                        problem(Response.Status.NOT_FOUND, "this node keeps no result of execution " + executionId));
    }

    private Response problem(Response.Status status, String detail) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.getStatusCode());
        body.put("detail", detail);
        try {
            return Response.status(status)
                    .type(PROBLEM_JSON)
                    .entity(json.writeValueAsString(body))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a problem document", e);
        }
    }
}
