package dev.cidra.gateway.messaging;

import dev.cidra.contract.JobEvent;
import dev.cidra.contract.TopicReader;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.jobs.JobView;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Folds every record of {@link Topics#JOB_EVENTS}, from the beginning and {@code read_committed} (events of aborted
 * transactions are never seen), into the {@link JobView}; a tombstone (null value) forgets its job. Every replica reads
 * every partition, so each holds the same view. Records that are not valid {@link JobEvent}s are logged and skipped.
 */
@Singleton
public class JobEventListener {
    private final KafkaClients clients;
    private final Records records;
    private final JobView view;
    private TopicReader reader;

    JobEventListener(KafkaClients clients, Records records, JobView view) {
        this.clients = clients;
        this.records = records;
        this.view = view;
    }

    void start(@Observes StartupEvent startup) {
        reader = clients.reader(Topics.JOB_EVENTS, TopicReader.From.BEGINNING, true, this::onEvent);
        reader.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (reader != null) {
            reader.close();
        }
    }

    /** Whether the view holds every event that was in the topic when this replica started. */
    public boolean caughtUp() {
        return reader != null && reader.caughtUp();
    }

    /** Events still to read up to the end the topic had at startup. */
    public long behind() {
        return reader == null ? -1 : reader.behind();
    }

    /** Why the reader stopped for good, or null while it reads. */
    public String failure() {
        return reader == null ? "not started" : reader.failure();
    }

    private void onEvent(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                view.remove(new String(record.key(), StandardCharsets.UTF_8));
            }
            return;
        }
        view.apply(records.decode(record, JobEvent.class));
    }
}
