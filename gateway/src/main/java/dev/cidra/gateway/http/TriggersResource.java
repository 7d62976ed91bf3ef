package dev.cidra.gateway.http;

import dev.cidra.contract.Trigger;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.service.TriggerService;
import dev.cidra.gateway.triggers.TriggerStats;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v1/triggers}: bind Kafka topics to functions, list and delete the bindings. */
@Path("/v1/triggers")
@Tag(name = "Triggers", description = "Functions run on every record of a Kafka topic")
public class TriggersResource {
    private final TriggerService triggers;
    private final SecurityIdentity identity;

    TriggersResource(TriggerService triggers, SecurityIdentity identity) {
        this.triggers = triggers;
        this.identity = identity;
    }

    /** The answer to {@code GET /v1/triggers}. */
    @Schema(name = "TriggerListing")
    public record Listing(List<Trigger> triggers) {}

    @POST
    @Consumes({MediaType.APPLICATION_JSON, JobsResource.YAML, JobsResource.X_YAML, JobsResource.TEXT_YAML})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Define a trigger",
            description = "{name, topic, module (CID), entrypoint?, args?, env?, headers? (record headers passed as"
                    + " CIDRA_HEADER_<NAME>), output: {topic} or {publisher: {Type, Params}}, concurrency? (1), retry?:"
                    + " {maxAttempts? (3), backoff? (1s, doubled per attempt)}, deadLetterTopic? (cidra.dead-letter),"
                    + " memory?, timeout?}. Every record produced to the topic from now on runs the module: value as"
                    + " stdin, key as CIDRA_KEY, and CIDRA_TOPIC, CIDRA_PARTITION, CIDRA_OFFSET, CIDRA_TIMESTAMP,"
                    + " CIDRA_ATTEMPT; stdout becomes a record with the same key on the output topic, in one"
                    + " transaction with the input's offset. Missing topics are created with the broker's defaults.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(
            responseCode = "201",
            description = "Defined; the body is the trigger with its defaults, id and start offsets",
            headers = @Header(name = HttpHeaders.LOCATION, description = "/v1/triggers/{name}"),
            content = @Content(schema = @Schema(implementation = Trigger.class)))
    @APIResponse(
            responseCode = "400",
            description = "The definition is malformed or invalid (invalid-trigger); the detail starts with the"
                    + " field's path",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "A trigger of that name exists (trigger-exists)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka did not take the definition (messaging-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Response create(
            InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context UriInfo uri) {
        Trigger trigger = triggers.create(body, contentType, Caller.of(identity));
        return Response.created(uri.getBaseUriBuilder()
                        .path(TriggersResource.class)
                        .path(trigger.name())
                        .build())
                .entity(trigger)
                .build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List triggers", description = "The caller's triggers (an admin's: every trigger), by name.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Listing.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Listing list() {
        return new Listing(triggers.list(Caller.of(identity)));
    }

    @GET
    @Path("/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Describe a trigger")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Trigger.class)))
    @APIResponse(responseCode = "404", ref = GatewayApi.TRIGGER_NOT_FOUND)
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Trigger get(@PathParam("name") String name) {
        return triggers.get(name, Caller.of(identity));
    }

    @GET
    @Path("/{name}/stats")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "How a trigger is doing",
            description = "Records consumed and lag per partition of its topic (its consumer group's committed offsets"
                    + " against the topic's end, from Kafka), and what the live executors did with its records since"
                    + " they started: succeeded, dead-lettered, failed attempts.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TriggerStats.class)))
    @APIResponse(responseCode = "404", ref = GatewayApi.TRIGGER_NOT_FOUND)
    @APIResponse(
            responseCode = "503",
            description = "Kafka did not tell the offsets (messaging-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public TriggerStats stats(@PathParam("name") String name) {
        return triggers.stats(name, Caller.of(identity));
    }

    @DELETE
    @Path("/{name}")
    @Operation(
            summary = "Delete a trigger",
            description = "Executors stop running it within seconds; a batch in flight is dropped uncommitted, so"
                    + " none of its output records becomes visible (results a publisher output already uploaded"
                    + " stay), and the records of its topic are left as they are.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = GatewayApi.TRIGGER_NOT_FOUND)
    @APIResponse(
            responseCode = "503",
            description = "Kafka did not take the deletion (messaging-unavailable)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public void delete(@PathParam("name") String name) {
        triggers.delete(name, Caller.of(identity));
    }
}
