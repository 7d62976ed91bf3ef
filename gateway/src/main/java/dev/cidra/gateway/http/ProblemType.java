package dev.cidra.gateway.http;

import java.net.URI;

/**
 * The problem types this API defines beyond plain HTTP errors. Their URIs are {@code tag:} URIs (RFC 4151): stable
 * identifiers, not documents to fetch.
 */
enum ProblemType {
    INVALID_MODULE("invalid-module", "Invalid WebAssembly module"),
    INVALID_CID("invalid-cid", "Invalid CID"),
    MODULE_NOT_FOUND("module-not-found", "Module not found"),
    MODULE_TOO_LARGE("module-too-large", "Module too large"),
    MALFORMED_JSON("malformed-json", "Malformed JSON"),
    STORAGE_UNAVAILABLE("storage-unavailable", "Module storage unavailable");

    /** The type of plain HTTP errors; their title is the status' reason phrase. */
    static final URI ABOUT_BLANK = URI.create("about:blank");

    final URI uri;
    final String title;

    ProblemType(String name, String title) {
        this.uri = URI.create("tag:cidra.dev,2026:problems/" + name);
        this.title = title;
    }
}
