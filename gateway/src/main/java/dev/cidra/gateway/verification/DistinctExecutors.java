package dev.cidra.gateway.verification;

import dev.cidra.contract.JobRequest;
import dev.cidra.contract.NodeInfo;
import dev.cidra.gateway.nodes.NodeView;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the executors of a job's executions among the live nodes this replica knows ({@link NodeView}, from the
 * announcements on {@code cidra.nodes}): distinct nodes, able to run the job (they serve every public module, or
 * provide its entry module), the least busy first ({@link NodeInfo#running()} per slot, then by id). Thread-safe.
 */
@Singleton
class DistinctExecutors {
    private final NodeView nodes;

    DistinctExecutors(NodeView nodes) {
        this.nodes = nodes;
    }

    /**
     * @param excluded nodes that must not be picked (those that ran the job before)
     * @param why what the nodes are for, for the message, e.g. {@code "Count 2"}
     * @return {@code count} distinct node ids
     * @throws NotEnoughExecutorsException naming how many nodes are needed and which are live
     */
    List<String> pick(JobRequest job, int count, Set<String> excluded, String why) {
        List<NodeInfo> live = nodes.list();
        List<String> eligible = live.stream()
                .filter(node -> !excluded.contains(node.nodeId()))
                .filter(node -> node.providedModules().isEmpty()
                        || (job.moduleCid() != null && node.providedModules().contains(job.moduleCid())))
                .sorted(Comparator.comparingDouble((NodeInfo node) -> (double) node.running() / node.slots())
                        .thenComparing(NodeInfo::nodeId))
                .map(NodeInfo::nodeId)
                .toList();
        if (eligible.size() < count) {
            List<String> ran = live.stream()
                    .map(NodeInfo::nodeId)
                    .filter(excluded::contains)
                    .toList();
            String names = live.isEmpty()
                    ? "none is live"
                    : live.size() + " " + (live.size() == 1 ? "is" : "are") + " live ("
                            + live.stream().map(NodeInfo::nodeId).collect(Collectors.joining(", ")) + ")"
                            + (ran.isEmpty() ? "" : ", of which " + String.join(", ", ran) + " ran it before");
            throw new NotEnoughExecutorsException(why + " needs " + count + " distinct live "
                    + (count == 1 ? "executor" : "executors") + " that can run the job; " + names);
        }
        return eligible.subList(0, count);
    }
}
