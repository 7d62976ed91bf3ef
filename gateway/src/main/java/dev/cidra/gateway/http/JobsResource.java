package dev.cidra.gateway.http;

import dev.cidra.contract.JobRequest;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.gateway.jobs.JobOutputs;
import dev.cidra.gateway.jobs.JobStatus;
import dev.cidra.gateway.jobs.JobView;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.security.SubmissionRate;
import dev.cidra.gateway.service.JobService;
import dev.cidra.gateway.spec.Quantities;
import dev.cidra.gateway.verification.Executions;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v1/jobs}: submit jobs (Bacalhau-shaped specs), list and follow them, download their results. */
@Path("/v1/jobs")
@Tag(name = "Jobs", description = "Asynchronous jobs with inputs and published results")
public class JobsResource {
    static final String YAML = "application/yaml";
    static final String X_YAML = "application/x-yaml";
    static final String TEXT_YAML = "text/yaml";

    /** The most jobs one {@code GET /v1/jobs} lists. */
    static final int MAX_LIST_LIMIT = 1000;

    private static final String DEFAULT_LIST_LIMIT = "50";

    private final JobService jobs;
    private final JobOutputs outputs;
    private final JobView view;
    private final SecurityIdentity identity;
    private final SubmissionRate rate;
    private final Executions executions;
    private final GatewayConfig config;

    JobsResource(
            GatewayConfig config,
            JobService jobs,
            JobOutputs outputs,
            JobView view,
            SecurityIdentity identity,
            SubmissionRate rate,
            Executions executions) {
        this.config = config;
        this.jobs = jobs;
        this.executions = executions;
        this.rate = rate;
        this.outputs = outputs;
        this.view = view;
        this.identity = identity;
    }

    /** The answer to an accepted job. */
    @Schema(name = "JobAccepted")
    public record Accepted(@Schema(examples = "j-5f0c...") String jobID) {}

    @POST
    @Consumes({MediaType.APPLICATION_JSON, YAML, X_YAML, TEXT_YAML})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Submit a job",
            description = "A job spec shaped like Bacalhau's: {Name?, Type?: batch, Count?: 1, Tasks: [one task]},"
                    + " optionally wrapped as {\"Job\": {...}}, as JSON or YAML. The task's Engine is"
                    + " {Type: wasm, Params: {EntryModule: CID, Entrypoint?, Parameters?, EnvironmentVariables?,"
                    + " ImportModules?}}; it may have InputSources, ResultPaths, Publisher (s3 or local), Resources"
                    + " (Memory, Disk), Network (None only) and Timeouts (ExecutionTimeout in seconds). The job is"
                    + " accepted once its queued event and its request are both in Kafka.")
    @RequestBody(
            content = {
                @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)),
                @Content(mediaType = YAML, schema = @Schema(type = SchemaType.STRING))
            })
    @APIResponse(
            responseCode = "202",
            description = "Accepted",
            headers = @Header(name = HttpHeaders.LOCATION, description = "/v1/jobs/{jobID}"),
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "400",
            description = "The spec is malformed or invalid (invalid-job-spec); the detail starts with the field's"
                    + " path, e.g. Tasks[0].InputSources[1].Source.Params",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "The spec is larger than 256 KiB (body-too-large)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "415",
            description = "Content-Type is neither JSON nor YAML",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "429",
            description = "The caller's tenant is over cidra.quotas.submissions-per-second (too-many-submissions;"
                    + " Retry-After says when to try again) or has cidra.quotas.concurrent-jobs unfinished jobs"
                    + " (quota-exceeded)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka did not take the job (messaging-unavailable), it needs a module only provider nodes"
                    + " serve and none that offers it is live (no-provider), or its Count needs more distinct live"
                    + " executors than there are (not-enough-executors); nothing was submitted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response submit(
            InputStream spec, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context UriInfo uri) {
        String tenant = Caller.of(identity).tenant();
        rate.acquire(tenant);
        JobRequest request = jobs.submit(spec, contentType, tenant);
        return Response.accepted(new Accepted(request.jobId()))
                .location(uri.getBaseUriBuilder()
                        .path(JobsResource.class)
                        .path(request.jobId())
                        .build())
                .build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "List jobs",
            description = "The caller's jobs this gateway replica knows from their events (an admin's: every"
                    + " tenant's, or one tenant's with tenant=), newest first (by the time they were queued), with how"
                    + " many match in all. Synchronous calls answered in time are not jobs and are not listed. The view"
                    + " is bounded (cidra.jobs.view-max-jobs): the least recently updated jobs drop out of it.")
    @APIResponse(
            responseCode = "200",
            description = "The newest matching jobs",
            content = @Content(schema = @Schema(implementation = JobView.Listing.class)))
    @APIResponse(
            responseCode = "400",
            description = "limit is not a number in 1.." + MAX_LIST_LIMIT + ", state is not a job state, or a label"
                    + " is not KEY=VALUE",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "tenant names another tenant and the caller is no admin (forbidden)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public JobView.Listing list(
            @Parameter(description = "at most this many jobs, 1.." + MAX_LIST_LIMIT)
                    @QueryParam("limit")
                    @DefaultValue(DEFAULT_LIST_LIMIT)
                    String limit,
            @Parameter(
                            description = "only jobs in this state",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {
                                                "queued",
                                                "running",
                                                "publishing",
                                                "completed",
                                                "failed",
                                                "cancelled"
                                            }))
                    @QueryParam("state")
                    String state,
            @Parameter(description = "only jobs of this tenant (admins; others may name only their own)")
                    @QueryParam("tenant")
                    String tenant,
            @Parameter(description = "only jobs whose spec has this label, KEY=VALUE (repeatable: all must match)")
                    @QueryParam("label")
                    List<String> label) {
        return view.list(
                state == null ? null : state(state),
                tenant(Caller.of(identity), tenant),
                labels(label == null ? List.of() : label),
                limit(limit));
    }

    private static Map<String, String> labels(List<String> labels) {
        var parsed = new LinkedHashMap<String, String>();
        for (String label : labels) {
            int eq = label.indexOf('=');
            if (eq <= 0) {
                throw new BadRequestException(
                        "query parameter label must be KEY=VALUE, e.g. label=team%3Dsearch, not \"" + label + "\"");
            }
            parsed.put(label.substring(0, eq), label.substring(eq + 1));
        }
        return parsed;
    }

    /** The tenant whose jobs the caller lists: its own, or for an admin the one asked for (null: every tenant). */
    private static String tenant(Caller caller, String asked) {
        if (asked == null) {
            return caller.admin() ? null : caller.tenant();
        }
        if (!caller.owns(asked)) {
            throw new ForbiddenException("only an admin key may list another tenant's jobs; this key acts for tenant "
                    + caller.tenant() + ", not " + asked);
        }
        return asked;
    }

    private static int limit(String text) {
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new BadRequestException(
                    "query parameter limit must be a number from 1 to " + MAX_LIST_LIMIT + ", not \"" + text + "\"");
        }
        return limit;
    }

    private static JobStatus.State state(String text) {
        for (JobStatus.State state : JobStatus.State.values()) {
            if (state.json().equals(text)) {
                return state;
            }
        }
        throw new BadRequestException("query parameter state must be one of "
                + Arrays.stream(JobStatus.State.values())
                        .map(JobStatus.State::json)
                        .collect(Collectors.joining(", "))
                + ", not \"" + text + "\"");
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Describe a job",
            description =
                    "Its state (queued, running, publishing, completed, failed, cancelled), executions with stdout and stderr"
                            + " excerpts, and where its result was published. A synchronous invocation that got no reply in"
                            + " time is a job too. With wait, the answer is held until the job is known and not in state"
                            + " (or has ended), for at most that long.")
    @APIResponse(
            responseCode = "200",
            description = "The job",
            content = @Content(schema = @Schema(implementation = JobStatus.class)))
    @APIResponse(
            responseCode = "400",
            description = "wait is not a duration or above the limit, state is not a job state, or state comes"
                    + " without wait",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", ref = GatewayApi.JOB_NOT_FOUND)
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public CompletionStage<JobStatus> status(
            @PathParam("id") String id,
            @Parameter(
                            description = "hold the answer up to this long (1s, 500ms, PT10S; at most"
                                    + " cidra.jobs.max-status-wait) until the job is known and, unless it has ended,"
                                    + " not in state: a long poll that shows each change as it happens")
                    @QueryParam("wait")
                    String wait,
            @Parameter(description = "with wait: the state last seen, which the answer waits to differ from")
                    @QueryParam("state")
                    String state) {
        Caller caller = Caller.of(identity);
        if (wait == null) {
            if (state != null) {
                throw new BadRequestException("query parameter state says what to wait for a change of: add wait");
            }
            return CompletableFuture.completedFuture(jobs.status(id, caller));
        }
        return jobs.status(id, caller, statusWait(wait), state == null ? null : state(state));
    }

    private Duration statusWait(String text) {
        Duration wait;
        try {
            wait = Quantities.duration(text, "wait");
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("query parameter " + e.getMessage(), e);
        }
        Duration max = config.jobs().maxStatusWait();
        if (wait.compareTo(max) > 0) {
            throw new BadRequestException(
                    "query parameter wait must be at most " + max.toSeconds() + "s, not \"" + text + "\"");
        }
        return wait;
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Stop a job",
            description =
                    "Cancels a queued, running or publishing job (Bacalhau's job stop): a queued job never starts,"
                            + " a running guest is stopped, what it was publishing is removed. The job ends cancelled, naming"
                            + " who cancelled it and when.")
    @APIResponse(
            responseCode = "200",
            description = "The job, cancelled",
            content = @Content(schema = @Schema(implementation = JobStatus.class)))
    @APIResponse(responseCode = "404", ref = GatewayApi.JOB_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = "The job has already ended (job-finished)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka did not take the cancellation (messaging-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public JobStatus stop(@PathParam("id") String id) {
        return jobs.cancel(id, Caller.of(identity));
    }

    @GET
    @Path("/{id}/outputs")
    @Produces({"application/gzip", "application/x-tar", Problem.MEDIA_TYPE})
    @Operation(
            summary = "Download a job's result",
            description = "The published result: an S3 gzip result or a local one as its .tar.gz, an S3 plain result"
                    + " as a tar stream of the objects under its prefix.")
    @APIResponse(
            responseCode = "200",
            description = "The result",
            content = {
                @Content(mediaType = "application/gzip", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                @Content(mediaType = "application/x-tar", schema = @Schema(type = SchemaType.STRING, format = "binary"))
            })
    @APIResponse(responseCode = "404", ref = GatewayApi.JOB_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = "The job has published no result (yet); the detail says its state (result-not-published)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "502",
            description = "The result cannot be read where it was published (result-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response outputs(@PathParam("id") String id) {
        JobOutputs.Output output = outputs.open(id, Caller.of(identity));
        StreamingOutput body = output.body()::writeTo;
        return Response.ok(body, output.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + output.fileName() + "\"")
                .build();
    }

    @POST
    @Path("/{id}/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Verify a job by running it again",
            description = "Submits a finished deterministic job of the caller's once more, as a new job on a live"
                    + " executor none of its executions ran on. The new job's result CID matches expectedCID exactly"
                    + " when the run reproduced the job's result.")
    @APIResponse(
            responseCode = "202",
            description = "The new job was submitted",
            content = @Content(schema = @Schema(implementation = Executions.Verification.class)))
    @APIResponse(responseCode = "404", ref = GatewayApi.JOB_NOT_FOUND)
    @APIResponse(
            responseCode = "409",
            description = "The job has not ended, published no result, or is not deterministic (job-not-verifiable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "No live executor other than the job's is there (not-enough-executors), or Kafka did not"
                    + " take the new job (messaging-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response verify(@PathParam("id") String id, @Context UriInfo uri) {
        Caller caller = Caller.of(identity);
        rate.acquire(caller.tenant());
        Executions.Verification verification = executions.verify(id, caller);
        return Response.accepted(verification)
                .location(uri.getBaseUriBuilder()
                        .path(JobsResource.class)
                        .path(verification.jobID())
                        .build())
                .build();
    }
}
