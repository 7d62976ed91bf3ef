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
 * Answers a request whose declared body ({@code Content-Length}) exceeds {@code quarkus.http.limits.max-body-size}
 * with a 413 problem and closes the connection, ahead of the HTTP layer's own check, which answers with an empty body.
 * A larger body sent without {@code Content-Length} is still cut off by the HTTP layer; the module upload never gets
 * there because it stops reading one byte past {@code cidra.registry.max-module-bytes}, which must be smaller.
 */
@Singleton
class BodyLimitRoute {
    private final ObjectMapper json;

    BodyLimitRoute(ObjectMapper json) {
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
        Response.Status status = Response.Status.REQUEST_ENTITY_TOO_LARGE;
        var problem = new Problem(
                ProblemType.ABOUT_BLANK,
                status.getReasonPhrase(),
                status.getStatusCode(),
                "the request body has " + length + " bytes, above the limit of " + limit + " bytes",
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
