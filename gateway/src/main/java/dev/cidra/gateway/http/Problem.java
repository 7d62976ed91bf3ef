package dev.cidra.gateway.http;

import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An error answer as RFC 9457 defines it, sent as {@value #MEDIA_TYPE}.
 *
 * @param type identifies the kind of problem: {@code about:blank} for a plain HTTP error, else a {@code tag:} URI of
 *     this API (see {@link ProblemType})
 * @param title a short summary of the type, the same for every occurrence
 * @param status the HTTP status code of the response
 * @param detail what went wrong in this request, precisely enough to fix it
 * @param instance the path of the request
 */
@Schema(name = "Problem", description = "An error (RFC 9457 problem details).")
public record Problem(
        @Schema(examples = "tag:cidra.dev,2026:problems/invalid-module")
        URI type,

        @Schema(examples = "Invalid WebAssembly module") String title,
        @Schema(examples = "400") int status,

        @Schema(examples = "not a WebAssembly module: it does not start with the magic bytes \\0asm")
        String detail,

        @Schema(examples = "/v1/modules") String instance) {

    /** {@code application/problem+json}. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
