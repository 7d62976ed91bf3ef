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
    STORAGE_UNAVAILABLE("storage-unavailable", "Module storage unavailable"),
    INVALID_REQUEST("invalid-request", "Invalid request parameter"),
    INVALID_JOB_SPEC("invalid-job-spec", "Invalid job spec"),
    INVALID_TRIGGER("invalid-trigger", "Invalid trigger"),
    TRIGGER_NOT_FOUND("trigger-not-found", "Trigger not found"),
    TRIGGER_EXISTS("trigger-exists", "Trigger exists"),
    BODY_TOO_LARGE("body-too-large", "Request body too large"),
    MODULE_REJECTED("module-rejected", "Module rejected by the executor"),
    GUEST_TRAPPED("guest-trapped", "The guest trapped"),
    GUEST_TIMED_OUT("guest-timed-out", "The guest timed out"),
    REPLY_UNDELIVERABLE("reply-undeliverable", "The result could not be delivered"),
    CALL_EXPIRED("call-expired", "The call expired before it ran"),
    NO_REPLY("no-reply", "No reply in time"),
    JOB_NOT_FOUND("job-not-found", "Job not found"),
    NODE_NOT_FOUND("node-not-found", "Node not found"),
    RESULT_NOT_PUBLISHED("result-not-published", "No published result"),
    JOB_FINISHED("job-finished", "Job already ended"),
    RESULT_UNAVAILABLE("result-unavailable", "Published result unavailable"),
    MESSAGING_UNAVAILABLE("messaging-unavailable", "Messaging unavailable"),
    FORBIDDEN("forbidden", "Not allowed for this caller"),
    STORED_MODULE_CORRUPT("stored-module-corrupt", "Stored module corrupt"),
    TOO_MANY_SUBMISSIONS("too-many-submissions", "Too many submissions"),
    QUOTA_EXCEEDED("quota-exceeded", "Quota exceeded"),
    NO_PROVIDER("no-provider", "No live provider node"),
    NOT_ENOUGH_EXECUTORS("not-enough-executors", "Not enough live executors"),
    JOB_NOT_VERIFIABLE("job-not-verifiable", "Job cannot be verified");

    /** The type of plain HTTP errors; their title is the status' reason phrase. */
    static final URI ABOUT_BLANK = URI.create("about:blank");

    final URI uri;
    final String title;

    ProblemType(String name, String title) {
        this.uri = URI.create("tag:cidra.dev,2026:problems/" + name);
        this.title = title;
    }
}
