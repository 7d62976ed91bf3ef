package dev.cidra.gateway.http;

/**
 * The body of {@code POST /v1/functions/{cid}/invoke}: the guest's stdin, at most
 * {@code cidra.invocations.max-stdin-bytes}, as {@link StdinReader} read it.
 */
public record Stdin(byte[] bytes) {}
