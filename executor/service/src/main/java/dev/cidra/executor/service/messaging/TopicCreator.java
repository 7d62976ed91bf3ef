package dev.cidra.executor.service.messaging;

import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/** Creates the {@linkplain Topics shared topics} that do not exist yet; topics that exist are left as they are. */
@Singleton
class TopicCreator {
    private static final Logger LOG = Logger.getLogger(TopicCreator.class);

    private final Admin admin;
    private final ExecutorConfig.Kafka kafka;

    TopicCreator(Admin admin, ExecutorConfig config) {
        this.admin = admin;
        this.kafka = config.kafka();
    }

    /**
     * Blocks until every shared topic exists (created here or by another node).
     *
     * @throws IllegalStateException naming the topic that could not be created and why
     * @throws InterruptedException if interrupted while waiting
     */
    void createMissing() throws InterruptedException {
        Optional<Integer> partitions = kafka.topicPartitions().isPresent()
                ? Optional.of(kafka.topicPartitions().getAsInt())
                : Optional.empty();
        List<NewTopic> topics = Topics.all().stream()
                .map(name -> new NewTopic(name, partitions, kafka.topicReplicationFactor()))
                .toList();
        var results = admin.createTopics(topics).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(kafka.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                LOG.infof("created topic %s", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topic " + entry.getKey() + " on " + kafka.bootstrapServers() + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "cannot create topic " + entry.getKey() + ": no answer from " + kafka.bootstrapServers()
                                + " within " + kafka.requestTimeout(),
                        e);
            }
        }
    }
}
