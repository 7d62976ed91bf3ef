package dev.cidra.gateway.http;

import dev.cidra.gateway.config.GatewayConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.OptionalLong;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Reads an invocation's body into {@link Stdin}: at most one byte past {@code cidra.invocations.max-stdin-bytes}, and
 * nothing of a body that declares more; {@link dev.cidra.gateway.service.InvocationService} rejects either. The
 * invocation endpoint is non-blocking: the HTTP layer hands a body that fits its input buffer
 * ({@code quarkus.rest.input-buffer-size}) to this reader on the event loop, already in memory, and moves a larger
 * one, with the rest of the call, to a worker thread, where this reader blocks on it. So a small call never leaves
 * the event loop, and no call holds more than the limit in memory. Thread-safe.
 */
@Provider
@Consumes(MediaType.WILDCARD)
class StdinReader implements ServerMessageBodyReader<Stdin> {
    private final int limit;

    StdinReader(GatewayConfig config) {
        this.limit = config.invocations().maxStdinBytes();
    }

    // The server variants: the HTTP layer calls the JAX-RS ones with the parameter's annotations, which it looks up
    // by reflection (Method.getParameterAnnotations parses them again) on every call.
    @Override
    public boolean isReadable(
            Class<?> type, Type genericType, ResteasyReactiveResourceInfo method, MediaType mediaType) {
        return type == Stdin.class;
    }

    /** @throws IOException if the body cannot be read */
    @Override
    public Stdin readFrom(Class<Stdin> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        return read(context.getRequestHeaders().getHeaderString(HttpHeaders.CONTENT_LENGTH), context.getInputStream());
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == Stdin.class;
    }

    @Override
    public Stdin readFrom(
            Class<Stdin> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> headers,
            InputStream body)
            throws IOException {
        return read(headers.getFirst(HttpHeaders.CONTENT_LENGTH), body);
    }

    private Stdin read(String declared, InputStream body) throws IOException {
        OptionalLong length = OptionalLong.empty();
        if (declared != null) {
            try {
                length = OptionalLong.of(Long.parseLong(declared));
            } catch (NumberFormatException malformed) {
                // the HTTP codec has rejected it already
            }
        }
        if (length.isPresent() && length.getAsLong() > limit) {
            return new Stdin(new byte[0], length);
        }
        return new Stdin(body.readNBytes(limit + 1), length);
    }
}
