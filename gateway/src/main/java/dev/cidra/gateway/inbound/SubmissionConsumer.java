package dev.cidra.gateway.inbound;

import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.RecordTracing;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.providers.NoProviderException;
import dev.cidra.gateway.security.QuotaExceededException;
import dev.cidra.gateway.service.JobService;
import dev.cidra.gateway.spec.InvalidRequestException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Runs the jobs any Kafka client submits on {@link Topics#JOB_SUBMISSIONS}: the channel {@value #CHANNEL} reads it in
 * group {@code cidra-gateway-submissions} (each record is handled by one replica) with
 * {@code isolation.level=read_committed}, and hands each record to {@link JobService#submit(ConsumerRecord,
 * JobService.Transaction)}, which validates it as {@code POST /v1/jobs} would and publishes the job in a transaction of
 * the {@link KafkaTransactions} emitter {@value #PUBLISHED}, the one that also commits the record's offset
 * (exactly-once processing: {@code withTransaction(message, ...)}). An invalid record goes to {@link Topics#DEAD_LETTER}
 * (reason: the detail an HTTP 400 would have), its offset committed in such a transaction. Either way an offset is
 * committed only with what the record produced, so a crash or a failed transaction makes the record be read again,
 * and, as its job id depends only on the record (see {@link Topics#JOB_SUBMISSIONS}), an earlier transaction that did
 * commit unconfirmed publishes the same job, not another.
 *
 * <p>Duplicates: a record whose job this replica's view already knows (any state) publishes no job: it is dead-lettered
 * with a reason naming the job that holds the id. That check is exact for records of one partition, which one consumer handles in order after the previous
 * job was folded into its view; for the same id on two partitions handled at once (by two replicas, or before the
 * first job's event reached this replica's view), both records may publish, and so may a record whose job the view
 * has forgotten ({@code cidra.jobs.view-max-jobs}). Even then it is one job: the same job id and execution id, which
 * executors run once (their execution markers). What the second copy adds is a second request record and queued event;
 * replicas ignore a queued event of a job they know, but should it land after the job's terminal event, compaction of
 * {@link Topics#JOB_EVENTS} may later keep only it, and a replica started after that shows the job queued. A second
 * record with the same id but another spec is dead-lettered all the same: the id names the job.
 *
 * <p>When Kafka does not take a record's transaction, it is aborted, the consumer goes back to the last committed
 * offsets (SmallRye's {@code resetToLastCommittedPositions}), and, {@value #RETRY_MILLIS} ms later, the message is
 * nacked; the channel's failure strategy {@code ignore} then reads the unhandled records again. That is
 * {@code withTransactionAndAck} with a pause before the nack, so that an unreachable Kafka is not retried in a tight
 * loop. Before that nack, a transaction the failed one left open (an abort that could not reach Kafka) is aborted
 * again, so that the producer can begin the next one once Kafka is back; a producer that failed for good (fenced, or
 * in an error state no abort clears) is reported to the extension's health, which makes the gateway not ready. A
 * failure of the consumer itself stops the channel, which the extension's health reports too (both through the
 * gateway's {@code kafka} readiness check).
 */
@Singleton
public class SubmissionConsumer {
    /** The incoming channel of {@link Topics#JOB_SUBMISSIONS}. */
    public static final String CHANNEL = "job-submissions";

    /** The transactional outgoing channel of the submitted jobs and dead letters (their records name their topics). */
    public static final String PUBLISHED = "submitted-jobs";

    private static final Logger LOG = Logger.getLogger(SubmissionConsumer.class);
    private static final long RETRY_MILLIS = 1000;

    private final JobService jobs;
    private final RecordTracing tracing;
    private final KafkaTransactions<ProducerRecord<byte[], byte[]>> transactions;
    private final KafkaClientService channels;
    private final HealthCenter health;
    private final AtomicBoolean reported = new AtomicBoolean();

    SubmissionConsumer(
            JobService jobs,
            RecordTracing tracing,
            @Channel(PUBLISHED) KafkaTransactions<ProducerRecord<byte[], byte[]>> transactions,
            KafkaClientService channels,
            HealthCenter health) {
        this.jobs = jobs;
        this.tracing = tracing;
        this.transactions = transactions;
        this.channels = channels;
        this.health = health;
    }

    /**
     * Submits the record's job or dead-letters it, in a span that continues the trace the record's headers carry (so
     * the job's records carry it on), and acknowledges the message once the transaction is committed.
     */
    @Incoming(CHANNEL)
    Uni<Void> consume(Message<byte[]> message) {
        ConsumerRecord<byte[], byte[]> record = consumerRecord(message);
        CompletionStage<?> handled;
        Span span;
        try (var step = tracing.process(record)) {
            handled = handle(record, message);
            span = step.leave();
        }
        return Uni.createFrom().completionStage(handled).onItemOrFailure().transformToUni((done, failure) -> {
            if (failure == null) {
                span.end();
                return Uni.createFrom().completionStage(message.ack());
            }
            span.setStatus(StatusCode.ERROR, "not handled; read again");
            span.end();
            LOG.warnf(
                    "record %s was not handled; it is read again in %d ms: %s",
                    DeadLetter.origin(record), RETRY_MILLIS, failure.getMessage());
            return channels.getProducer(PUBLISHED)
                    .runOnSendingThread(this::settle)
                    .onFailure()
                    .recoverWithNull()
                    .onItem()
                    .delayIt()
                    .by(Duration.ofMillis(RETRY_MILLIS))
                    .chain(() -> Uni.createFrom().completionStage(message.nack(failure)));
        });
    }

    private CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> record, Message<byte[]> message) {
        try {
            return jobs.submit(record, out -> transact(message, out))
                    .thenAccept(
                            job -> LOG.debugf("record %s submitted job %s", DeadLetter.origin(record), job.jobId()));
        } catch (InvalidRequestException | QuotaExceededException | NoProviderException e) {
            return transact(message, List.of(DeadLetter.of(record, e.getMessage())));
        } catch (RuntimeException e) {
            LOG.errorf(e, "record %s could not be handled", DeadLetter.origin(record));
            return transact(message, List.of(DeadLetter.of(record, "the gateway could not handle it: " + e)));
        }
    }

    /** Publishes {@code out} and commits the message's offset in one transaction. */
    private CompletionStage<Void> transact(Message<byte[]> message, List<ProducerRecord<byte[], byte[]>> out) {
        return transactions
                .withTransaction(message, emitter -> {
                    out.forEach(emitter::send);
                    return Uni.createFrom().voidItem();
                })
                .subscribeAsCompletionStage();
    }

    /**
     * Aborts what a failed transaction left open, on the producer's sending thread. With none open there is nothing to
     * do; a retriable failure (Kafka still away) is left to the next failure; any other failure is the producer's end.
     */
    private void settle(Producer<?, ?> producer) {
        try {
            producer.abortTransaction();
        } catch (IllegalStateException e) {
            // no transaction open: the failed one was aborted
        } catch (RetriableException e) {
            LOG.debugf("the open transaction of %s could not be aborted yet: %s", PUBLISHED, e.getMessage());
        } catch (KafkaException e) {
            if (reported.compareAndSet(false, true)) {
                LOG.errorf(e, "the transactional producer of %s failed for good; the gateway is not ready", PUBLISHED);
                health.report(PUBLISHED, e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<byte[], byte[]> consumerRecord(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (ConsumerRecord<byte[], byte[]>) metadata.getRecord())
                .orElseThrow(() -> new IllegalStateException("a message of " + CHANNEL + " without Kafka metadata"));
    }
}
