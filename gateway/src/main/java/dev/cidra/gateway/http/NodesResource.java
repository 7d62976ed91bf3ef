package dev.cidra.gateway.http;

import dev.cidra.contract.NodeInfo;
import dev.cidra.gateway.nodes.NodeView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The live executors, as they announce themselves (Bacalhau's {@code node list} and {@code node describe}). */
@Path("/v1/nodes")
@Tag(name = "Nodes")
public class NodesResource {
    private final NodeView nodes;

    NodesResource(NodeView nodes) {
        this.nodes = nodes;
    }

    /** The live nodes. */
    public record Listing(List<NodeInfo> nodes) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List nodes", description = "Every live executor, by id.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Listing.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public Listing list() {
        return new Listing(nodes.list());
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Describe a node")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = NodeInfo.class)))
    @APIResponse(
            responseCode = "404",
            description = "No live node of that id (node-not-found)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "500", ref = GatewayApi.SERVER_ERROR)
    public NodeInfo get(@PathParam("id") String id) {
        return nodes.get(id);
    }
}
