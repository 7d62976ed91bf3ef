package dev.cidra.gateway.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.NodeInfo;
import dev.cidra.gateway.nodes.NodeView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds the {@link NodeView} from {@code cidra.nodes} (channel {@value #CHANNEL}): every replica reads every partition
 * (a group of its own), from the beginning, so a new replica knows the live nodes at once. A record it cannot read is
 * logged and skipped: it changes no node.
 */
@ApplicationScoped
class NodeAnnouncements {
    static final String CHANNEL = "node-announcements";
    private static final Logger LOG = Logger.getLogger(NodeAnnouncements.class);

    private final NodeView nodes;
    private final ObjectMapper json;

    NodeAnnouncements(NodeView nodes, ObjectMapper json) {
        this.nodes = nodes;
        this.json = json;
    }

    @Incoming(CHANNEL)
    void on(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            LOG.warnf("skipped a record without a key on cidra.nodes (%d@%d)", record.partition(), record.offset());
            return;
        }
        if (record.value() == null) {
            nodes.left(record.key());
            return;
        }
        try {
            var node = json.readValue(record.value(), NodeInfo.class);
            if (!node.nodeId().equals(record.key())) {
                LOG.warnf("skipped an announcement of node %s keyed %s on cidra.nodes", node.nodeId(), record.key());
                return;
            }
            nodes.announced(node);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warnf("skipped an unreadable announcement of node %s on cidra.nodes: %s", record.key(), e.getMessage());
        }
    }
}
