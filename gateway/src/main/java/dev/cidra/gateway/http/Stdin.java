package dev.cidra.gateway.http;

import java.util.OptionalLong;

/**
 * The body of {@code POST /v1/functions/{cid}/invoke} as {@link StdinReader} read it: the guest's stdin, cut one byte
 * past {@code cidra.invocations.max-stdin-bytes} (so a longer body shows as one byte over the limit), and nothing of a
 * body that declared more.
 *
 * @param declaredLength the body's declared length ({@code Content-Length}), if any
 */
public record Stdin(byte[] bytes, OptionalLong declaredLength) {}
