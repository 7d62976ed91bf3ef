package dev.cidra.gateway.http;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The gateway's REST API as a whole: its OpenAPI description ({@code /q/openapi}) and the problem responses endpoints
 * share, referenced by name from {@code @APIResponse(ref = ...)}.
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Cidra gateway",
                        version = "v1",
                        description = "Upload WebAssembly (WASI preview 1) modules and read them back by IPFS CID."
                                + " Errors are RFC 9457 problems (application/problem+json)."),
        components =
                @Components(
                        responses = {
                            @APIResponse(
                                    name = GatewayApi.INVALID_CID,
                                    description = "Not a CID this platform accepts (invalid-cid); the detail names the"
                                            + " rule broken",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = GatewayApi.MODULE_NOT_FOUND,
                                    description = "No module is stored under this CID (module-not-found)",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = GatewayApi.JOB_NOT_FOUND,
                                    description = "No such job is known, or it is another tenant's (job-not-found)",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = GatewayApi.TRIGGER_NOT_FOUND,
                                    description = "No trigger of that name, or it is another tenant's"
                                            + " (trigger-not-found)",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = GatewayApi.STORAGE_UNAVAILABLE,
                                    description = "The module storage cannot be reached (storage-unavailable)",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class))),
                            @APIResponse(
                                    name = GatewayApi.SERVER_ERROR,
                                    description = "An unexpected failure; the detail holds a reference to the log",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = Problem.class)))
                        }))
public class GatewayApi extends Application {
    static final String INVALID_CID = "InvalidCid";
    static final String MODULE_NOT_FOUND = "ModuleNotFound";
    static final String JOB_NOT_FOUND = "JobNotFound";
    static final String TRIGGER_NOT_FOUND = "TriggerNotFound";
    static final String STORAGE_UNAVAILABLE = "StorageUnavailable";
    static final String SERVER_ERROR = "ServerError";
}
