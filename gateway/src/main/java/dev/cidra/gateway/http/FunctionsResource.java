package dev.cidra.gateway.http;

import dev.cidra.contract.InvocationReply;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.service.InvocationService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v1/functions/{cid}/invoke}: runs a module synchronously and answers with its stdout. The call holds no
 * thread while it waits for the executor's reply.
 */
@Path("/v1/functions")
@Tag(name = "Functions", description = "Synchronous invocations of modules")
public class FunctionsResource {
    static final String JOB_ID = "Cidra-Job-Id";
    static final String EXECUTION_ID = "Cidra-Execution-Id";
    static final String EXIT_CODE = "Cidra-Exit-Code";
    static final String NODE_ID = "Cidra-Node-Id";
    static final String STDOUT_TRUNCATED = "Cidra-Stdout-Truncated";
    static final String STDERR = "Cidra-Stderr";
    static final String STDERR_TRUNCATED = "Cidra-Stderr-Truncated";
    static final String DURATION_MICROS = "Cidra-Duration-Micros";

    /** The bytes of stderr {@value #STDERR} carries. */
    static final int STDERR_HEADER_BYTES = 1024;

    /** 422, which {@link Response.Status} lacks. */
    private static final Response.StatusType UNPROCESSABLE_CONTENT = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

    private final InvocationService invocations;
    private final SecurityIdentity identity;

    FunctionsResource(InvocationService invocations, SecurityIdentity identity) {
        this.invocations = invocations;
        this.identity = identity;
    }

    @POST
    @Path("/{cid}/invoke")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_OCTET_STREAM, Problem.MEDIA_TYPE})
    @NonBlocking // a body larger than the HTTP layer's input buffer moves the call to a worker (StdinReader)
    @Operation(
            summary = "Invoke a module",
            description = "Runs the module's entrypoint with the request body as stdin, the arg parameters as"
                    + " arguments and the env parameters as its whole environment, and answers with its stdout once it"
                    + " exits. A guest that exits with any code is a 200; Cidra-Exit-Code has the code. With no reply"
                    + " within the timeout plus the gateway's slack the answer is 504 and the call goes on as a job"
                    + " (Location).")
    @RequestBody(
            description = "The guest's stdin (cidra.invocations.max-stdin-bytes at most)",
            content = @Content(schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "200",
            description = "The guest exited; the body is its stdout",
            headers = {
                @Header(name = JOB_ID, description = "the job id (GET /v1/jobs/{id} shows it for a while)"),
                @Header(name = EXECUTION_ID, description = "the execution id"),
                @Header(name = EXIT_CODE, description = "the guest's exit code"),
                @Header(name = NODE_ID, description = "the executor node that ran it"),
                @Header(name = STDOUT_TRUNCATED, description = "true if the guest wrote more than the executor kept"),
                @Header(
                        name = STDERR,
                        description = "the first 1 KiB of stderr, bytes outside printable ASCII and '%'"
                                + " percent-encoded"),
                @Header(name = STDERR_TRUNCATED, description = "true if stderr is longer than the header holds"),
                @Header(name = DURATION_MICROS, description = "the run's wall-clock time in microseconds")
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_OCTET_STREAM,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "400",
            description = "Invalid CID (invalid-cid) or parameter (invalid-request); the detail names it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "The body is larger than cidra.invocations.max-stdin-bytes (body-too-large)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "The executor could not fetch, verify, link or start the module, or its entrypoint is"
                    + " unusable (module-rejected); exitCode 125",
            content =
                    @Content(
                            mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = InvocationProblem.class)))
    @APIResponse(
            responseCode = "502",
            description = "The guest trapped (guest-trapped; exitCode 134), or its result was too large to come back"
                    + " (reply-undeliverable; exitCode the guest's)",
            content =
                    @Content(
                            mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = InvocationProblem.class)))
    @APIResponse(
            responseCode = "504",
            description = "The guest ran past its timeout (guest-timed-out, exitCode 124), no reply came in time"
                    + " (no-reply, with Location: the job to poll), or an executor took the call only after the wait"
                    + " had ended and did not run it (call-expired, exitCode 124)",
            headers = @Header(name = HttpHeaders.LOCATION, description = "/v1/jobs/{jobId}, for no-reply"),
            content =
                    @Content(
                            mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = InvocationProblem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka did not take the request (messaging-unavailable), or it needs a module only provider"
                    + " nodes serve and none that offers it is live (no-provider)")
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public CompletionStage<Response> invoke(
            @Parameter(description = "the module's CID") @PathParam("cid") String cid,
            @Parameter(description = "an argument after argv[0]; repeat for more") @QueryParam("arg") List<String> args,
            @Parameter(description = "NAME=value; repeat for more") @QueryParam("env") List<String> env,
            @Parameter(description = "the exported function to call (default _start)") @QueryParam("entrypoint")
                    String entrypoint,
            @Parameter(description = "the guest's wall-clock cap: 5s, 500ms, 2m or PT5S") @QueryParam("timeout")
                    String timeout,
            @Parameter(description = "the guest's memory cap: bytes or 64Mi, 1Gi") @QueryParam("memory") String memory,
            @Parameter(description = "true: clocks, random bytes, listings and file stats are functions of the inputs")
                    @QueryParam("deterministic")
                    String deterministic,
            @Parameter(description = "the seed of a deterministic call's random bytes (a whole number)")
                    @QueryParam("randomSeed")
                    String randomSeed,
            Stdin body,
            @Context UriInfo uri,
            @Context HttpServerRequest request) {
        var call = new InvocationService.Call(
                cid,
                args,
                env,
                entrypoint,
                timeout,
                memory,
                body == null ? new byte[0] : body.bytes(),
                body == null ? OptionalLong.empty() : body.declaredLength(),
                Caller.of(identity).tenant(),
                deterministic,
                randomSeed);
        // The reply completes on the channel's one reader thread: answer on the request's own event loop instead,
        // so that thread only hands replies over and the answers are written by all the event loops.
        io.vertx.core.Context caller = Vertx.currentContext();
        Executor answering = caller == null ? Runnable::run : task -> caller.runOnContext(ignored -> task.run());
        return invocations
                .invoke(call)
                .thenApplyAsync(
                        result -> switch (result) {
                            case InvocationService.Replied replied -> answer(replied.reply(), request.path());
                            case InvocationService.NoReply noReply -> {
                                String jobId = noReply.request().jobId();
                                yield problem(
                                                ProblemType.NO_REPLY,
                                                Response.Status.GATEWAY_TIMEOUT,
                                                "no reply within " + noReply.waited() + "; the call goes on as job "
                                                        + jobId + ": GET /v1/jobs/" + jobId
                                                        + " shows its result once it ends",
                                                request.path(),
                                                jobId,
                                                noReply.request().executionId(),
                                                null,
                                                null)
                                        .location(uri.getBaseUriBuilder()
                                                .path(JobsResource.class)
                                                .path(jobId)
                                                .build())
                                        .build();
                            }
                        },
                        answering);
    }

    private static Response answer(InvocationReply reply, String path) {
        return switch (reply.status()) {
            case EXITED -> {
                int stderrBytes = Math.min(reply.stderr().length, STDERR_HEADER_BYTES);
                yield Response.ok(reply.stdout(), MediaType.APPLICATION_OCTET_STREAM)
                        .header(JOB_ID, reply.jobId())
                        .header(EXECUTION_ID, reply.executionId())
                        .header(EXIT_CODE, reply.exitCode())
                        .header(NODE_ID, headerSafe(reply.nodeId().getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE))
                        .header(STDOUT_TRUNCATED, reply.stdoutTruncated())
                        .header(STDERR, headerSafe(reply.stderr(), stderrBytes))
                        .header(STDERR_TRUNCATED, reply.stderrTruncated() || reply.stderr().length > stderrBytes)
                        .header(DURATION_MICROS, reply.durationMicros())
                        .build();
            }
            case REJECTED -> failure(ProblemType.MODULE_REJECTED, UNPROCESSABLE_CONTENT, reply, path);
            case TRAPPED -> failure(ProblemType.GUEST_TRAPPED, Response.Status.BAD_GATEWAY, reply, path);
            case TIMED_OUT -> failure(ProblemType.GUEST_TIMED_OUT, Response.Status.GATEWAY_TIMEOUT, reply, path);
            case UNDELIVERABLE -> failure(ProblemType.REPLY_UNDELIVERABLE, Response.Status.BAD_GATEWAY, reply, path);
            case EXPIRED -> failure(ProblemType.CALL_EXPIRED, Response.Status.GATEWAY_TIMEOUT, reply, path);
        };
    }

    private static Response failure(ProblemType type, Response.StatusType status, InvocationReply reply, String path) {
        return problem(
                        type,
                        status,
                        reply.error(),
                        path,
                        reply.jobId(),
                        reply.executionId(),
                        reply.nodeId(),
                        reply.exitCode())
                .build();
    }

    private static Response.ResponseBuilder problem(
            ProblemType type,
            Response.StatusType status,
            String detail,
            String path,
            String jobId,
            String executionId,
            String nodeId,
            Integer exitCode) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new InvocationProblem(
                        type.uri,
                        type.title,
                        status.getStatusCode(),
                        detail,
                        path,
                        jobId,
                        executionId,
                        nodeId,
                        exitCode));
    }

    /**
     * The first {@code length} bytes as a header value: printable ASCII but {@code %} as it is, every other byte as
     * {@code %XX} (so UTF-8 text percent-decodes back to itself).
     */
    static String headerSafe(byte[] bytes, int length) {
        var out = new StringBuilder();
        for (int i = 0; i < Math.min(length, bytes.length); i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '%') {
                out.append((char) b);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
