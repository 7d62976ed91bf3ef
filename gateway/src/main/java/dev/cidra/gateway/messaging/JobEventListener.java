package dev.cidra.gateway.messaging;

import dev.cidra.contract.CatchUp;
import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.jobs.JobView;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Folds every record of {@link Topics#JOB_EVENTS}, from the beginning and {@code read_committed} (events of aborted
 * transactions are never seen), into the {@link JobView}, through the channel {@value #CHANNEL}; a tombstone (null
 * value) forgets its job. Every replica reads every partition (a consumer group of its own, committing nothing), so
 * each holds the same view. Records that are not valid {@link JobEvent}s are logged and skipped.
 */
@Singleton
public class JobEventListener {
    /** The incoming channel of {@link Topics#JOB_EVENTS}. */
    public static final String CHANNEL = "job-events";

    private static final Logger LOG = Logger.getLogger(JobEventListener.class);

    private final KafkaClients clients;
    private final Records records;
    private final JobView view;
    private final KafkaClientService channels;

    private final CatchUp catchUp = new CatchUp();

    JobEventListener(KafkaClients clients, Records records, JobView view, KafkaClientService channels) {
        this.clients = clients;
        this.records = records;
        this.view = view;
        this.channels = channels;
    }

    /** Tells {@link #caughtUp()} where the end was when the channel's consumer was assigned the partitions. */
    @Produces
    @Identifier(CHANNEL)
    KafkaConsumerRebalanceListener catchUpListener() {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                catchUp.assigned(consumer, partitions);
            }
        };
    }

    /**
     * Whether the view holds every event that was in the topic when this replica started. Until it does, asks the
     * channel's consumer where it is (waiting at most {@code cidra.kafka.request-timeout}).
     */
    public boolean caughtUp() {
        return Channels.caughtUp(catchUp, channels, CHANNEL, clients.requestTimeout());
    }

    /** Offsets still to read up to the end the topic had at startup; -1 before the partitions were assigned. */
    public long behind() {
        return catchUp.behind();
    }

    @Incoming(CHANNEL)
    @NonBlocking
    void onEvent(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.value() == null) {
                if (record.key() != null) {
                    view.remove(new String(record.key(), StandardCharsets.UTF_8));
                }
                return;
            }
            view.apply(records.decode(record, JobEvent.class));
        } catch (RuntimeException e) {
            LOG.errorf(e, "record %s could not be handled; skipped", DeadLetter.origin(record));
        } finally {
            catchUp.handled(record);
        }
    }
}
