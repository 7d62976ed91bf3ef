package dev.cidra.executor.service.messaging;

import dev.cidra.contract.CatchUp;
import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.JobCancellation;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every {@link JobCancellation} of {@link Topics#JOB_CANCELLATIONS}, read whole, from the beginning, through the
 * channel {@value #CHANNEL} (a consumer group of its own per node, committing nothing), so that this node knows every
 * job that was ever cancelled: the {@link dev.cidra.executor.service.jobs.JobRunner} starts none of them, and {@linkplain #watch watches} the jobs it
 * runs so that a cancellation arriving meanwhile stops the guest at once (the engine's own stop, the one its timeout
 * uses) or withdraws what was published. Nothing runs before the channel has caught up with the topic's end at
 * assignment ({@link #requireCaughtUp}): a job cancelled before this node started is never started by it.
 *
 * <p>Cancellations are kept in memory for the node's life, one small entry per cancelled job. Thread-safe: a
 * cancellation is recorded before the watches of its job are completed, and a watch reads the record after it is
 * registered, so a cancellation racing with the start of a watch completes it either way.
 */
@Singleton
public class Cancellations {
    /** The incoming channel of {@link Topics#JOB_CANCELLATIONS}. */
    static final String CHANNEL = "cancellations";

    private static final Logger LOG = Logger.getLogger(Cancellations.class);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);

    private final RecordDecoder decoder;
    private final Duration timeout;
    private final KafkaClientService channels;
    /** Looked up once started: the channel exists only once the messaging extension has wired it. */
    private final Instance<PausableChannel> channel;

    private final CatchUp catchUp = new CatchUp();
    private final Map<String, JobCancellation> cancelled = new ConcurrentHashMap<>();
    /** Execution id to the watch of its job's cancellation. */
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    private record Watch(String jobId, CompletableFuture<JobCancellation> signal) {}

    Cancellations(
            RecordDecoder decoder,
            ExecutorConfig config,
            KafkaClientService channels,
            @Channel(CHANNEL) Instance<PausableChannel> channel) {
        this.decoder = decoder;
        this.timeout = config.kafka().requestTimeout();
        this.channels = channels;
        this.channel = channel;
    }

    /** After {@link RequestConsumer} has created the topics, before {@link JobConsumer} runs a job: the channel starts paused. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 550) StartupEvent event) {
        channel.get().resume();
    }

    /** Tells {@link #requireCaughtUp} where the end was when the channel's consumer was assigned the partitions. */
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

    @Incoming(CHANNEL)
    @NonBlocking
    void consume(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.value() == null) {
                return;
            }
            var cancellation = decoder.decode(record.value(), JobCancellation.class);
            if (record.key() == null
                    || !cancellation.jobId().equals(new String(record.key(), StandardCharsets.UTF_8))) {
                throw new IllegalArgumentException("the record's key does not name job " + cancellation.jobId());
            }
            cancelled.put(cancellation.jobId(), cancellation);
            watches.values().stream()
                    .filter(watch -> watch.jobId().equals(cancellation.jobId()))
                    .forEach(watch -> watch.signal().complete(cancellation));
        } catch (RuntimeException e) {
            LOG.errorf(e, "record %s could not be handled; skipped", DeadLetter.origin(record));
        } finally {
            catchUp.handled(record);
        }
    }

    /**
     * Returns once this node has read every cancellation that was in the topic when it started, asking the channel's
     * consumer where it is until then, for at most {@code cidra.kafka.request-timeout}.
     *
     * @throws IllegalStateException if it has not caught up by then (the node's infrastructure: the job runs later),
     *     or if interrupted while waiting (the flag is kept)
     */
    public void requireCaughtUp() {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!catchUp.caughtUp()) {
            var consumer = channels.getConsumer(CHANNEL);
            if (consumer != null) {
                try {
                    consumer.runOnPollingThread(catchUp::probe).await().atMost(timeout);
                } catch (RuntimeException e) {
                    LOG.debugf(e, "the consumer of channel %s did not say where it is", CHANNEL);
                }
            }
            if (catchUp.caughtUp()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the cancellations of " + Topics.JOB_CANCELLATIONS
                        + " are not read yet (" + catchUp.behind() + " records behind)");
            }
            try {
                Thread.sleep(PROBE_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + Topics.JOB_CANCELLATIONS, e);
            }
        }
    }

    /** The job's cancellation, if it was cancelled. */
    public Optional<JobCancellation> of(String jobId) {
        return Optional.ofNullable(cancelled.get(jobId));
    }

    /**
     * A signal that completes with the job's cancellation (at once if it was cancelled already), until
     * {@link #unwatch} of the execution.
     */
    public CompletableFuture<JobCancellation> watch(JobRequest job) {
        var watch = new Watch(job.jobId(), new CompletableFuture<>());
        watches.put(job.executionId(), watch);
        of(job.jobId()).ifPresent(watch.signal()::complete);
        return watch.signal();
    }

    /** Ends the watch of an execution. */
    public void unwatch(JobRequest job) {
        watches.remove(job.executionId());
    }
}
