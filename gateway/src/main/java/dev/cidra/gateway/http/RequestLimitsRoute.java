package dev.cidra.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.gateway.config.GatewayConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers requests over the gateway's size limits with a problem, ahead of the HTTP layer's own checks, which answer
 * with an empty body:
 *
 * <ul>
 *   <li>a URI (path and query) longer than {@value #MAX_URI_BYTES} bytes: 414. The HTTP layer reads request lines up
 *       to {@code quarkus.http.limits.max-initial-line-length} (4 MiB, set well above this limit so that the problem
 *       is this one); a call's large arguments or environment belong in a job spec's body.
 *   <li>a declared body ({@code Content-Length}) over {@code quarkus.http.limits.max-body-size}: 413, and the
 *       connection is closed. A larger body sent without {@code Content-Length} is still cut off by the HTTP layer;
 *       the module upload never gets there because it stops reading one byte past
 *       {@code cidra.registry.max-module-bytes}, which must be smaller.
 * </ul>
 */
@Singleton
class RequestLimitsRoute {
    /** The longest URI (path and query) the gateway takes. */
    static final int MAX_URI_BYTES = 65_536;

    private final ObjectMapper json;

    RequestLimitsRoute(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Installs the check on the application router.
     *
     * @throws IllegalStateException if the body limit does not exceed {@code cidra.registry.max-module-bytes}: the
     *     HTTP layer would cut off uploads the registry accepts
     */
    void install(
            @Observes Router router,
            GatewayConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        long maxModuleBytes = config.registry().maxModuleBytes();
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        if (limit <= maxModuleBytes) {
            throw new IllegalStateException("quarkus.http.limits.max-body-size (" + limit + " bytes) must be larger"
                    + " than cidra.registry.max-module-bytes (" + maxModuleBytes + " bytes), or the HTTP layer cuts"
                    + " off uploads the registry accepts");
        }
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> check(context, limit));
    }

    private void check(RoutingContext context, long limit) {
        int uri = context.request().uri().length();
        if (uri > MAX_URI_BYTES) {
            refuse(
                    context,
                    Response.Status.REQUEST_URI_TOO_LONG,
                    "the request URI has " + uri + " characters, above the limit of " + MAX_URI_BYTES
                            + ": pass large arguments, environments or stdin in a job spec (POST /v1/jobs) or the"
                            + " request body");
            return;
        }
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared);
        } catch (NumberFormatException malformed) {
            length = -1; // the HTTP codec has rejected it already
        }
        if (length <= limit) {
            context.next();
            return;
        }
        refuse(
                context,
                Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "the request body has " + length + " bytes, above the limit of " + limit + " bytes");
    }

    /** Answers with a problem and closes the connection (HTTP/1.x: the unread body would arrive as a request). */
    private void refuse(RoutingContext context, Response.Status status, String detail) {
        var problem = new Problem(
                ProblemType.ABOUT_BLANK,
                status.getReasonPhrase(),
                status.getStatusCode(),
                detail,
                context.request().path());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            context.fail(e);
            return;
        }
        var response = context.response()
                .setStatusCode(status.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (context.request().version() != HttpVersion.HTTP_2) {
            // HTTP/1.x: the unread body would arrive as the next request. HTTP/2 resets just the stream.
            response.putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(ended -> context.request().connection().close());
        }
        response.end(body);
    }
}
