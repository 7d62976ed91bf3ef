package dev.cidra.executor.service.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.Topics;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.jobs.JobRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@link Topics#JOBS} (group {@code <cidra.kafka.group-id>-jobs}), runs each job with the {@link JobRunner}
 * and publishes its terminal {@link JobEvent} on {@link Topics#JOB_EVENTS}, keyed by job id.
 *
 * <p>Delivery: the observable effects of an execution are exactly once. A poll returns at most
 * {@code cidra.execution.concurrency} records; their jobs run at once on as many worker threads (guests themselves
 * take the node's shared guest slots) while the consumer is paused but keeps polling. Then one Kafka transaction
 * (producer {@code transactional.id} {@code cidra-executor-jobs-<node id>}, so a restarted node fences its former
 * self) carries the batch's terminal events and dead letters and commits the batch's offsets with the consumer's group
 * metadata. Any failure before that commit (a crash, an unreachable state bucket, an aborted transaction) makes the
 * batch's records run again; each execution's marker, written after its result was published and before the commit,
 * then stops it from running or publishing a second time and supplies the event to commit instead. Records of an
 * execution that already ran (the same job submitted twice) commit no second event; within one batch only the first
 * record of an execution runs.
 *
 * <p>The window that remains: a crash after the result was published but before the marker was written runs the
 * execution again, which publishes again to the same key (the key depends only on the job, the execution, the node and
 * the submission time); no event ever named the first copy. {@link JobEvent.JobState#RUNNING} events are sent outside
 * the transaction by an idempotent producer, only for executions that have no marker yet; a redelivery may repeat one,
 * always before the execution's terminal event.
 *
 * <p>One loop thread owns the consumer and the transactional producer; the idempotent producer is shared by the
 * workers.
 */
@Singleton
class JobConsumer {
    private static final Logger LOG = Logger.getLogger(JobConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration BATCH_CHECK = Duration.ofSeconds(1);

    private final RecordDecoder decoder;
    private final JobRunner runner;
    private final ObjectMapper json;
    private final ExecutorConfig config;
    private final Guests guests;
    private volatile boolean running;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> transactions; // loop thread only
    private KafkaProducer<byte[], byte[]> announcements;
    private ExecutorService workers;
    private Thread loop;
    private Batch batch; // loop thread only

    JobConsumer(RecordDecoder decoder, JobRunner runner, ObjectMapper json, ExecutorConfig config, Guests guests) {
        this.decoder = decoder;
        this.runner = runner;
        this.json = json;
        this.config = config;
        this.guests = guests;
    }

    /** After {@link RequestConsumer} has created the topics. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        var kafka = config.kafka();
        int timeoutMillis = (int) kafka.requestTimeout().toMillis();
        var common = Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                timeoutMillis,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                timeoutMillis,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeoutMillis,
                ProducerConfig.LINGER_MS_CONFIG,
                0);
        var announcing = new HashMap<>(common);
        announcing.put(ProducerConfig.CLIENT_ID_CONFIG, "cidra-executor-job-announcements");
        announcements = new KafkaProducer<>(announcing, new ByteArraySerializer(), new ByteArraySerializer());
        var transactional = new HashMap<>(common);
        transactional.put(ProducerConfig.CLIENT_ID_CONFIG, "cidra-executor-job-events");
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cidra-executor-jobs-" + guests.nodeId());
        transactions = new KafkaProducer<>(transactional, new ByteArraySerializer(), new ByteArraySerializer());
        transactions.initTransactions();
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        kafka.groupId() + "-jobs",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        guests.concurrency()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        workers = Executors.newFixedThreadPool(
                guests.concurrency(),
                Thread.ofPlatform().name("cidra-job-", 0).daemon(true).factory());
        running = true;
        loop = Thread.ofPlatform().name("cidra-jobs").start(this::consume);
        LOG.infof("consuming %s with %d concurrent jobs", Topics.JOBS, guests.concurrency());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        loop.join();
        workers.shutdownNow();
        announcements.close();
        transactions.close();
    }

    private void consume() {
        try {
            consumer.subscribe(List.of(Topics.JOBS), new Rebalance());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                batch = new Batch(records);
                consumer.pause(consumer.assignment());
                awaitBatch();
                finishBatch();
                consumer.resume(consumer.assignment());
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("job loop woken up unexpectedly; it stops", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("job loop failed; it stops and the node consumes no more jobs", e);
        } finally {
            consumer.close();
        }
    }

    /** Polls (paused, so only group duties) until every job of the batch is done; the batch may end in a poll. */
    private void awaitBatch() throws InterruptedException {
        while (batch != null) {
            try {
                batch.done.get(BATCH_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                consumer.poll(Duration.ZERO);
            } catch (ExecutionException e) {
                return; // finishBatch rewinds
            }
        }
    }

    /**
     * Waits for the batch, then commits its events and offsets in one transaction, or rewinds its partitions if a job
     * or the transaction failed. Loop thread only.
     *
     * @throws KafkaException if the transaction can be neither committed nor aborted (e.g. the producer was fenced):
     *     the loop stops
     */
    private void finishBatch() throws InterruptedException {
        if (batch == null) {
            return;
        }
        var current = batch;
        batch = null;
        var out = new ArrayList<ProducerRecord<byte[], byte[]>>();
        try {
            current.done.get();
            for (var outcome : current.outcomes) {
                outcome.get().ifPresent(out::add);
            }
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "a job could not be finished; %s run again", current.partitions());
            rewind(current);
            return;
        }
        try {
            transactions.beginTransaction();
            out.forEach(transactions::send);
            transactions.sendOffsetsToTransaction(current.nextOffsets(), consumer.groupMetadata());
            transactions.commitTransaction();
        } catch (KafkaException e) {
            LOG.errorf(e, "the transaction of %d job events failed; %s run again", out.size(), current.partitions());
            transactions.abortTransaction();
            rewind(current);
        }
    }

    private void rewind(Batch current) {
        var assigned = consumer.assignment();
        current.firstOffsets().forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
    }

    /** Sends a RUNNING event and waits for Kafka's acknowledgement. */
    private void announce(JobEvent event) {
        try {
            announcements.send(eventRecord(event)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + Topics.JOB_EVENTS, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot publish to " + Topics.JOB_EVENTS + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private ProducerRecord<byte[], byte[]> eventRecord(JobEvent event) {
        try {
            return new ProducerRecord<>(
                    Topics.JOB_EVENTS, event.jobId().getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an event of job " + event.jobId(), e);
        }
    }

    /**
     * Decodes every record on the loop thread and runs each execution's first record on the workers; {@code done}
     * completes when every job has its outcome: a record to send in the transaction, or none.
     */
    private final class Batch {
        private final ConsumerRecords<byte[], byte[]> records;
        private final List<CompletableFuture<Optional<ProducerRecord<byte[], byte[]>>>> outcomes = new ArrayList<>();
        private final CompletableFuture<Void> done;

        Batch(ConsumerRecords<byte[], byte[]> records) {
            this.records = records;
            var executions = new HashSet<String>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                JobRequest job;
                try {
                    job = decoder.decode(record.value(), JobRequest.class);
                } catch (IllegalArgumentException e) {
                    runner.countDeadLetter();
                    outcomes.add(CompletableFuture.completedFuture(Optional.of(DeadLetter.of(record, e.getMessage()))));
                    continue;
                }
                if (!executions.add(job.executionId())) {
                    LOG.infof(
                            "record %s repeats execution %s of this batch; it does not run again",
                            DeadLetter.origin(record), job.executionId());
                    outcomes.add(CompletableFuture.completedFuture(Optional.empty()));
                    continue;
                }
                String origin = DeadLetter.origin(record);
                outcomes.add(CompletableFuture.supplyAsync(
                        () -> runner.run(job, origin, JobConsumer.this::announce)
                                .map(JobConsumer.this::eventRecord),
                        workers));
            }
            this.done = CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
        }

        Collection<TopicPartition> partitions() {
            return records.partitions();
        }

        Map<TopicPartition, OffsetAndMetadata> nextOffsets() {
            var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
            for (TopicPartition partition : records.partitions()) {
                offsets.put(
                        partition,
                        new OffsetAndMetadata(
                                records.records(partition).getLast().offset() + 1));
            }
            return offsets;
        }

        Map<TopicPartition, Long> firstOffsets() {
            var offsets = new HashMap<TopicPartition, Long>();
            for (TopicPartition partition : records.partitions()) {
                offsets.put(partition, records.records(partition).getFirst().offset());
            }
            return offsets;
        }
    }

    /** Finishes the batch in flight before partitions go; keeps newly assigned partitions paused while it runs. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                finishBatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (batch != null) {
                consumer.pause(partitions);
            }
        }
    }
}
