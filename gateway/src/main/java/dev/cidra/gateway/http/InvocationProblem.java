package dev.cidra.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A {@link Problem} about an invocation that was published, with extension members naming it. Members without a value
 * are left out.
 */
@Schema(
        name = "InvocationProblem",
        description = "An invocation that did not exit normally (RFC 9457 problem details).")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InvocationProblem(
        @Schema(examples = "tag:cidra.dev,2026:problems/guest-trapped")
        URI type,

        String title,
        int status,
        String detail,
        String instance,

        @Schema(description = "the job id: GET /v1/jobs/{jobId} shows the job")
        String jobId,

        @Schema(description = "the execution id") String executionId,

        @Schema(description = "the executor node that ran it")
        String nodeId,

        @Schema(description = "124 timed out, 125 rejected, 134 trapped")
        Integer exitCode) {}
