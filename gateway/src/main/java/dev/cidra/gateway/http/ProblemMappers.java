package dev.cidra.gateway.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.cidra.gateway.jobs.JobFinishedException;
import dev.cidra.gateway.jobs.JobNotFoundException;
import dev.cidra.gateway.jobs.ResultNotPublishedException;
import dev.cidra.gateway.jobs.ResultUnavailableException;
import dev.cidra.gateway.messaging.MessagingException;
import dev.cidra.gateway.nodes.NodeNotFoundException;
import dev.cidra.gateway.providers.NoProviderException;
import dev.cidra.gateway.security.QuotaExceededException;
import dev.cidra.gateway.security.TooManySubmissionsException;
import dev.cidra.gateway.spec.InvalidRequestException;
import dev.cidra.gateway.storage.StorageException;
import dev.cidra.gateway.storage.StoredModuleCorruptException;
import dev.cidra.gateway.triggers.TriggerExistsException;
import dev.cidra.gateway.triggers.TriggerNotFoundException;
import dev.cidra.gateway.verification.JobNotVerifiableException;
import dev.cidra.gateway.verification.NotEnoughExecutorsException;
import dev.cidra.registry.InvalidCidException;
import dev.cidra.registry.InvalidModuleException;
import dev.cidra.registry.ModuleNotFoundException;
import dev.cidra.registry.ModuleTooLargeException;
import io.quarkus.security.ForbiddenException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the REST layer into an RFC 9457 {@code application/problem+json} answer. Client
 * errors carry a precise detail; server errors carry only a reference under which the cause is logged, never a stack
 * trace or an internal message.
 */
class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    RestResponse<Problem> noProvider(NoProviderException e, HttpServerRequest request) {
        return problem(ProblemType.NO_PROVIDER, Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> invalidModule(InvalidModuleException e, HttpServerRequest request) {
        return problem(ProblemType.INVALID_MODULE, Response.Status.BAD_REQUEST, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> invalidCid(InvalidCidException e, HttpServerRequest request) {
        return problem(ProblemType.INVALID_CID, Response.Status.BAD_REQUEST, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> moduleNotFound(ModuleNotFoundException e, HttpServerRequest request) {
        return problem(ProblemType.MODULE_NOT_FOUND, Response.Status.NOT_FOUND, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> moduleTooLarge(ModuleTooLargeException e, HttpServerRequest request) {
        return problem(ProblemType.MODULE_TOO_LARGE, Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> storageUnavailable(StorageException e, HttpServerRequest request) {
        String reference = logged(e, request);
        return problem(
                ProblemType.STORAGE_UNAVAILABLE,
                Response.Status.SERVICE_UNAVAILABLE,
                "the module storage cannot be reached; retry later (reference " + reference + ")",
                request);
    }

    /** The store holds a wrong object under a CID: the detail says so (the object is the operator's to remove). */
    @ServerExceptionMapper
    RestResponse<Problem> storedModuleCorrupt(StoredModuleCorruptException e, HttpServerRequest request) {
        logged(e, request);
        return problem(ProblemType.STORED_MODULE_CORRUPT, Response.Status.BAD_GATEWAY, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> invalidRequest(InvalidRequestException e, HttpServerRequest request) {
        return switch (e.kind()) {
            case INVOCATION ->
                problem(ProblemType.INVALID_REQUEST, Response.Status.BAD_REQUEST, e.getMessage(), request);
            case JOB_SPEC ->
                problem(ProblemType.INVALID_JOB_SPEC, Response.Status.BAD_REQUEST, e.getMessage(), request);
            case TRIGGER -> problem(ProblemType.INVALID_TRIGGER, Response.Status.BAD_REQUEST, e.getMessage(), request);
            case BODY_TOO_LARGE ->
                problem(ProblemType.BODY_TOO_LARGE, Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage(), request);
        };
    }

    /** An authenticated caller asked for what its role does not allow. */
    @ServerExceptionMapper
    RestResponse<Problem> forbidden(ForbiddenException e, HttpServerRequest request) {
        return problem(ProblemType.FORBIDDEN, Response.Status.FORBIDDEN, e.getMessage(), request);
    }

    /** A job over a quota of its tenant's; {@code Retry-After} when the quota frees up by itself. */
    @ServerExceptionMapper
    RestResponse<Problem> quotaExceeded(QuotaExceededException e, HttpServerRequest request) {
        var response = builder(
                ProblemType.QUOTA_EXCEEDED.uri,
                ProblemType.QUOTA_EXCEEDED.title,
                Response.Status.TOO_MANY_REQUESTS,
                e.getMessage(),
                request);
        e.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        return response.build();
    }

    /** Fewer live executors than a job's executions need: the detail says how many there are. */
    @ServerExceptionMapper
    RestResponse<Problem> notEnoughExecutors(NotEnoughExecutorsException e, HttpServerRequest request) {
        return problem(ProblemType.NOT_ENOUGH_EXECUTORS, Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> jobNotVerifiable(JobNotVerifiableException e, HttpServerRequest request) {
        return problem(ProblemType.JOB_NOT_VERIFIABLE, Response.Status.CONFLICT, e.getMessage(), request);
    }

    /** A tenant over its submission rate: {@code Retry-After} says when it has room again. */
    @ServerExceptionMapper
    RestResponse<Problem> tooManySubmissions(TooManySubmissionsException e, HttpServerRequest request) {
        return builder(
                        ProblemType.TOO_MANY_SUBMISSIONS.uri,
                        ProblemType.TOO_MANY_SUBMISSIONS.title,
                        Response.Status.TOO_MANY_REQUESTS,
                        e.getMessage(),
                        request)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .build();
    }

    @ServerExceptionMapper
    RestResponse<Problem> jobNotFound(JobNotFoundException e, HttpServerRequest request) {
        return problem(ProblemType.JOB_NOT_FOUND, Response.Status.NOT_FOUND, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> nodeNotFound(NodeNotFoundException e, HttpServerRequest request) {
        return problem(ProblemType.NODE_NOT_FOUND, Response.Status.NOT_FOUND, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> triggerNotFound(TriggerNotFoundException e, HttpServerRequest request) {
        return problem(ProblemType.TRIGGER_NOT_FOUND, Response.Status.NOT_FOUND, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> triggerExists(TriggerExistsException e, HttpServerRequest request) {
        return problem(ProblemType.TRIGGER_EXISTS, Response.Status.CONFLICT, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> resultNotPublished(ResultNotPublishedException e, HttpServerRequest request) {
        return problem(ProblemType.RESULT_NOT_PUBLISHED, Response.Status.CONFLICT, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> jobFinished(JobFinishedException e, HttpServerRequest request) {
        return problem(ProblemType.JOB_FINISHED, Response.Status.CONFLICT, e.getMessage(), request);
    }

    /** The result's own store failed: the detail names the object (the user's), the cause is logged. */
    @ServerExceptionMapper
    RestResponse<Problem> resultUnavailable(ResultUnavailableException e, HttpServerRequest request) {
        logged(e, request);
        return problem(ProblemType.RESULT_UNAVAILABLE, Response.Status.BAD_GATEWAY, e.getMessage(), request);
    }

    @ServerExceptionMapper
    RestResponse<Problem> messagingUnavailable(MessagingException e, HttpServerRequest request) {
        String reference = logged(e, request);
        return problem(
                ProblemType.MESSAGING_UNAVAILABLE,
                Response.Status.SERVICE_UNAVAILABLE,
                "Kafka did not accept the request in time; retry later (reference " + reference + ")",
                request);
    }

    /** Also for {@link MismatchedInputException}, which the JSON extension would otherwise answer itself. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    RestResponse<Problem> malformedJson(JsonProcessingException e, HttpServerRequest request) {
        return problem(ProblemType.MALFORMED_JSON, Response.Status.BAD_REQUEST, jsonDetail(e), request);
    }

    /**
     * Errors of the HTTP layer: no resource at the path (404), method not allowed (405), no acceptable representation
     * (406), unsupported Content-Type (415), an unreadable JSON body (400, as {@link #malformedJson}).
     */
    @ServerExceptionMapper
    RestResponse<Problem> http(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json, request);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getFamily() == Response.Status.Family.SERVER_ERROR) {
            return unexpected(e, request);
        }
        return plain(status, httpDetail(e, status, request), request).build();
    }

    /** The catch-all: anything else is a bug or an outage, logged with a reference the client can quote. */
    @ServerExceptionMapper
    RestResponse<Problem> unexpected(Throwable e, HttpServerRequest request) {
        String reference = logged(e, request);
        return plain(
                        Response.Status.INTERNAL_SERVER_ERROR,
                        "the gateway failed to handle the request (reference " + reference + ")",
                        request)
                .build();
    }

    static RestResponse<Problem> problem(
            ProblemType type, Response.Status status, String detail, HttpServerRequest request) {
        return builder(type.uri, type.title, status, detail, request).build();
    }

    /** A problem of type {@code about:blank}, titled with the status' reason phrase. */
    private static RestResponse.ResponseBuilder<Problem> plain(
            Response.StatusType status, String detail, HttpServerRequest request) {
        return builder(ProblemType.ABOUT_BLANK, status.getReasonPhrase(), status, detail, request);
    }

    private static RestResponse.ResponseBuilder<Problem> builder(
            URI type, String title, Response.StatusType status, String detail, HttpServerRequest request) {
        return RestResponse.ResponseBuilder.create(
                        status, new Problem(type, title, status.getStatusCode(), detail, request.path()))
                .type(Problem.MEDIA_TYPE);
    }

    private static String logged(Throwable e, HttpServerRequest request) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "%s %s failed (reference %s)", request.method(), request.path(), reference);
        return reference;
    }

    /**
     * A detail naming the request for the statuses the framework raises, whose messages name its internals; the
     * exception's message otherwise.
     */
    private static String httpDetail(WebApplicationException e, Response.StatusType status, HttpServerRequest request) {
        String target = request.method() + " " + request.path();
        return switch (status.getStatusCode()) {
            case 404 -> "there is no resource at " + request.path();
            case 405 -> "method " + request.method() + " is not allowed on " + request.path();
            case 406 -> target + " cannot produce any type in Accept: " + request.getHeader(HttpHeaders.ACCEPT);
            case 415 ->
                target + " does not accept Content-Type '" + request.getHeader(HttpHeaders.CONTENT_TYPE)
                        + "' (/q/openapi lists the types it accepts)";
            default -> e.getMessage();
        };
    }

    /**
     * Where the JSON broke and how, without Jackson's description of the Java types involved (it would expose the
     * implementation).
     */
    private static String jsonDetail(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !(e instanceof JsonParseException)) {
            return "the JSON value at " + path(mapping) + " does not have the expected type or shape";
        }
        var location = e.getLocation();
        return "malformed JSON"
                + (location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr())
                + ": " + e.getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        var path = new StringBuilder("$");
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
