package dev.cidra.gateway.nodes;

/** No live executor has the id asked for. */
public final class NodeNotFoundException extends RuntimeException {
    public NodeNotFoundException(String nodeId) {
        super("no live node " + nodeId + " is known (an executor that stopped is gone within seconds)");
    }
}
