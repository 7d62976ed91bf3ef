package dev.cidra.gateway.http;

import dev.cidra.gateway.service.ModuleService;
import dev.cidra.gateway.service.UploadResult;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ModuleNotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.OptionalLong;
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
 * {@code /v1/modules}: upload WebAssembly modules and read them back by CID. Every error is an RFC 9457 problem
 * ({@link ProblemMappers}).
 */
@Path("/v1/modules")
@Tag(name = "Modules", description = "WebAssembly modules, named by their IPFS CID")
public class ModulesResource {
    static final String WASM = "application/wasm";

    /** A CID names its content forever: what is served under it never changes. */
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private static final String CID_DESCRIPTION = "the module's CIDv1 raw, or the CID `ipfs add --cid-version=1`"
            + " printed for it (CIDv1, lower-case base32, sha2-256)";

    private final ModuleService modules;

    ModulesResource(ModuleService modules) {
        this.modules = modules;
    }

    /**
     * Stores a module; 201 with its description when this request stored it, 200 when it was stored already. Both
     * carry {@code Location: /v1/modules/{cid}}.
     */
    @POST
    @Consumes({WASM, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Upload a module",
            description = "Validates the body as a WebAssembly core module and stores it under its CIDv1 raw and,"
                    + " for modules over 256 KiB, also under the CID `ipfs add --cid-version=1` prints, so the"
                    + " executors find it by either. Idempotent: uploading the same bytes again answers 200 with the"
                    + " same body and rewrites nothing.")
    @RequestBody(
            required = true,
            content = {
                @Content(mediaType = WASM, schema = @Schema(type = SchemaType.STRING, format = "binary")),
                @Content(
                        mediaType = MediaType.APPLICATION_OCTET_STREAM,
                        schema = @Schema(type = SchemaType.STRING, format = "binary"))
            })
    @APIResponse(
            responseCode = "201",
            description = "Stored by this request",
            headers = @Header(name = HttpHeaders.LOCATION, description = "/v1/modules/{cid}"),
            content = @Content(schema = @Schema(implementation = ModuleMetadata.class)))
    @APIResponse(
            responseCode = "200",
            description = "Already stored; nothing was written",
            headers = @Header(name = HttpHeaders.LOCATION, description = "/v1/modules/{cid}"),
            content = @Content(schema = @Schema(implementation = ModuleMetadata.class)))
    @APIResponse(
            responseCode = "400",
            description = "Not a WebAssembly core module (invalid-module); the detail says what is wrong and where",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "413",
            description = "Larger than cidra.registry.max-module-bytes (module-too-large)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "415",
            description = "Content-Type is neither application/wasm nor application/octet-stream",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", ref = GatewayApi.STORAGE_UNAVAILABLE)
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response upload(
            InputStream body,
            @Parameter(hidden = true) @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @Context UriInfo uri) {
        UploadResult result =
                modules.upload(body, contentLength == null ? OptionalLong.empty() : OptionalLong.of(contentLength));
        ModuleMetadata metadata = ModuleMetadata.of(result.module());
        var location = uri.getBaseUriBuilder()
                .path(ModulesResource.class)
                .path(metadata.cid())
                .build();
        return (result.created() ? Response.created(location) : Response.ok().location(location))
                .entity(metadata)
                .build();
    }

    /**
     * Whether a module is stored under {@code cid}: 200 or 404, no body, nothing read. A client that computed a file's
     * CIDv1 raw asks this before it uploads, and skips the upload of what is stored.
     */
    @HEAD
    @Path("/{cid}")
    @Operation(
            summary = "Check that a module is stored",
            description = "200 if a module is stored under the CID, 404 if not; no body. Cheaper than GET: the"
                    + " module is neither read nor parsed.")
    @APIResponse(responseCode = "200", description = "The module is stored")
    @APIResponse(responseCode = "400", ref = GatewayApi.INVALID_CID)
    @APIResponse(responseCode = "404", ref = GatewayApi.MODULE_NOT_FOUND)
    @APIResponse(responseCode = "503", ref = GatewayApi.STORAGE_UNAVAILABLE)
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response holds(@Parameter(description = CID_DESCRIPTION) @PathParam("cid") String cid) {
        Cid parsed = Cid.parse(cid);
        if (!modules.holds(parsed)) {
            throw new ModuleNotFoundException("no module " + parsed + " is stored in this registry");
        }
        return Response.ok().header(HttpHeaders.CACHE_CONTROL, IMMUTABLE).build();
    }

    /** The description of the module stored under {@code cid}, from its verified content. */
    @GET
    @Path("/{cid}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Describe a module", description = "Its CIDs, size, imports and exports.")
    @APIResponse(
            responseCode = "200",
            description = "The module",
            content = @Content(schema = @Schema(implementation = ModuleMetadata.class)))
    @APIResponse(responseCode = "400", ref = GatewayApi.INVALID_CID)
    @APIResponse(responseCode = "404", ref = GatewayApi.MODULE_NOT_FOUND)
    @APIResponse(responseCode = "503", ref = GatewayApi.STORAGE_UNAVAILABLE)
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response describe(@Parameter(description = CID_DESCRIPTION) @PathParam("cid") String cid) {
        return Response.ok(ModuleMetadata.of(modules.describe(Cid.parse(cid))))
                .header(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
                .build();
    }

    /** The bytes of the module stored under {@code cid}, verified against it before they are sent. */
    @GET
    @Path("/{cid}/content")
    @Produces(WASM)
    @Operation(
            summary = "Download a module",
            description = "The module's bytes, verified against the CID before they are sent.")
    @APIResponse(
            responseCode = "200",
            description = "The module's bytes",
            content = @Content(mediaType = WASM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", ref = GatewayApi.INVALID_CID)
    @APIResponse(responseCode = "404", ref = GatewayApi.MODULE_NOT_FOUND)
    @APIResponse(responseCode = "503", ref = GatewayApi.STORAGE_UNAVAILABLE)
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response content(@Parameter(description = CID_DESCRIPTION) @PathParam("cid") String cid) {
        return Response.ok(modules.content(Cid.parse(cid)), WASM)
                .header(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
                .build();
    }
}
