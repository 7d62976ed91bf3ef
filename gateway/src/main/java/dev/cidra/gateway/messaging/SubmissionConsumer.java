package dev.cidra.gateway.messaging;

import dev.cidra.contract.RecordTracing;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.service.JobService;
import dev.cidra.gateway.spec.InvalidRequestException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Runs the jobs any Kafka client submits on {@link Topics#JOB_SUBMISSIONS}: reads it in group {@value #GROUP} (each
 * record is handled by one replica) with {@code isolation.level=read_committed}, and hands each record to
 * {@link JobService#submit(JobChannel.Consumed)}, which validates it as {@code POST /v1/jobs} would and publishes the job
 * through the {@link JobChannel}, in the transaction that commits the record's offset. An invalid record goes to
 * {@link Topics#DEAD_LETTER} (reason: the detail an HTTP 400 would have), its offset committed in that transaction.
 * Either way an offset is committed only with what the record produced, so a crash or a failed transaction makes the
 * record be read again, and, as its job id depends only on the record (see {@link Topics#JOB_SUBMISSIONS}), an earlier
 * transaction that did commit unconfirmed publishes the same job, not another.
 *
 * <p>Duplicates: a record whose job this replica's view already knows (any state) publishes nothing; only its offset is
 * committed. That check is exact for records of one partition, which one consumer handles in order after the previous
 * job was folded into its view; for the same id on two partitions handled at once (by two replicas, or before the
 * first job's event reached this replica's view), both records may publish, and so may a record whose job the view
 * has forgotten ({@code cidra.jobs.view-max-jobs}). Even then it is one job: the same job id and execution id, which
 * executors run once (their execution markers). What the second copy adds is a second request record and queued event;
 * replicas ignore a queued event of a job they know, but should it land after the job's terminal event, compaction of
 * {@link Topics#JOB_EVENTS} may later keep only it, and a replica started after that shows the job queued. A second
 * record with the same id but another spec is dropped all the same: the id names the job.
 *
 * <p>When Kafka does not take a record's transaction, the unhandled records are read again after
 * {@value #RETRY_MILLIS} ms. The consumer is owned by its own thread, but for the wakeup that stops it; a failure of the
 * consumer itself stops reading for good, which {@link #failure()} reports.
 */
@Singleton
public class SubmissionConsumer {
    /** The consumer group of the gateway replicas. */
    static final String GROUP = "cidra-gateway-submissions";

    private static final Logger LOG = Logger.getLogger(SubmissionConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long RETRY_MILLIS = 1000;

    private final KafkaClients clients;
    private final JobService jobs;
    private final JobChannel channel;
    private final RecordTracing tracing;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread loop;
    private volatile boolean running;
    private volatile String failure;

    SubmissionConsumer(KafkaClients clients, JobService jobs, JobChannel channel, RecordTracing tracing) {
        this.clients = clients;
        this.jobs = jobs;
        this.channel = channel;
        this.tracing = tracing;
    }

    /** After the topics are created and the {@link JobChannel}'s producer is initialized. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent startup) {
        consumer = clients.groupConsumer("cidra-gateway-submissions", GROUP);
        consumer.subscribe(List.of(Topics.JOB_SUBMISSIONS));
        running = true;
        loop = Thread.ofPlatform().name("cidra-submissions").daemon(true).start(this::read);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (loop == null) {
            return;
        }
        consumer.wakeup();
        try {
            loop.join(clients.requestTimeout().plusMillis(RETRY_MILLIS).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the consumer stopped for good, or null while it reads. */
    public String failure() {
        return loop == null ? "not started" : failure;
    }

    private void read() {
        try {
            while (running) {
                if (!handle(consumer.poll(POLL))) {
                    Thread.sleep(RETRY_MILLIS);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = "woken up unexpectedly";
                LOG.errorf(e, "the consumer of %s was woken up unexpectedly; it stops", Topics.JOB_SUBMISSIONS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (running) {
                failure = "interrupted";
                LOG.errorf("the consumer of %s was interrupted; it stops", Topics.JOB_SUBMISSIONS);
            }
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.errorf(e, "the consumer of %s failed; it stops", Topics.JOB_SUBMISSIONS);
        } finally {
            consumer.close(CloseOptions.timeout(clients.requestTimeout()));
        }
    }

    /**
     * Handles the records of one poll in partition order; after a failure, seeks each partition back to its first
     * unhandled record. False if any failed.
     */
    private boolean handle(ConsumerRecords<byte[], byte[]> records) {
        boolean failed = false;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (failed || !handle(new JobChannel.Consumed(record, consumer.groupMetadata()))) {
                    failed = true;
                    consumer.seek(partition, record.offset());
                    break;
                }
            }
        }
        return !failed;
    }

    /**
     * Submits the record's job or dead-letters it, in a span that continues the trace the record's headers carry (so
     * the job's records carry it on); false if Kafka did not take either (nothing was committed).
     */
    private boolean handle(JobChannel.Consumed consumed) {
        try (var step = tracing.process(consumed.record())) {
            boolean handled = submit(consumed);
            if (!handled) {
                step.fail("not handled; read again");
            }
            return handled;
        }
    }

    private boolean submit(JobChannel.Consumed consumed) {
        try {
            jobs.submit(consumed)
                    .ifPresentOrElse(
                            request -> LOG.debugf("record %s submitted job %s", consumed.origin(), request.jobId()),
                            () -> LOG.infof(
                                    "record %s submits a job already known; only its offset is committed",
                                    consumed.origin()));
            return true;
        } catch (InvalidRequestException e) {
            return deadLetter(consumed, e.getMessage());
        } catch (MessagingException e) {
            return retryLater(consumed, e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "record %s could not be handled", consumed.origin());
            return deadLetter(consumed, "the gateway could not handle it: " + e);
        }
    }

    private boolean deadLetter(JobChannel.Consumed consumed, String reason) {
        try {
            channel.deadLetter(consumed, reason);
            return true;
        } catch (MessagingException e) {
            return retryLater(consumed, e);
        }
    }

    private static boolean retryLater(JobChannel.Consumed consumed, MessagingException e) {
        LOG.warnf(
                "record %s was not handled; it is read again in %d ms: %s",
                consumed.origin(), RETRY_MILLIS, e.getMessage());
        return false;
    }
}
