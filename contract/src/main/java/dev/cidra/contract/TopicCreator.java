package dev.cidra.contract;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the {@linkplain Topics shared topics} that do not exist yet, with their {@linkplain Topics#configOf
 * configuration}; topics that exist are left as they are. Every service calls it at startup, so the services can start
 * in any order.
 *
 * @param partitions partitions of a created topic; empty means the broker's default
 * @param replicationFactor replication factor of a created topic; empty means the broker's default
 * @param timeout how long to wait for the broker's answer per topic
 */
public record TopicCreator(OptionalInt partitions, Optional<Short> replicationFactor, Duration timeout) {
    private static final System.Logger LOG = System.getLogger(TopicCreator.class.getName());

    /**
     * Blocks until every shared topic exists (created here or by another node); logs the ones it creates.
     *
     * @throws IllegalStateException naming the topic that could not be created and why
     * @throws InterruptedException if interrupted while waiting
     */
    public void createMissing(Admin admin) throws InterruptedException {
        createMissing(admin, Topics.all());
    }

    /**
     * Blocks until every topic of {@code names} exists (created here or elsewhere), each created with its
     * {@linkplain Topics#configOf configuration} (none for a topic that is not Cidra's); logs the ones it creates.
     *
     * @throws IllegalStateException naming the topic that could not be created and why
     * @throws InterruptedException if interrupted while waiting
     */
    public void createMissing(Admin admin, Collection<String> names) throws InterruptedException {
        List<NewTopic> topics = names.stream()
                .distinct()
                .map(name -> new NewTopic(
                                name,
                                partitions.isPresent() ? Optional.of(partitions.getAsInt()) : Optional.empty(),
                                replicationFactor)
                        .configs(Topics.configOf(name)))
                .toList();
        for (var entry : admin.createTopics(topics).values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.log(System.Logger.Level.INFO, "created topic {0}", entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topic " + entry.getKey() + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "cannot create topic " + entry.getKey() + ": no answer from Kafka within " + timeout, e);
            }
        }
    }
}
