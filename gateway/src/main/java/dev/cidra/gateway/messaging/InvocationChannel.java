package dev.cidra.gateway.messaging;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.JobEvent;
import dev.cidra.contract.Producers;
import dev.cidra.contract.TopicReader;
import dev.cidra.contract.Topics;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.gateway.jobs.JobView;
import dev.cidra.gateway.providers.NoProviderException;
import dev.cidra.gateway.providers.ProviderRoutes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Synchronous calls over Kafka: publishes {@link InvocationRequest}s to {@link Topics#INVOCATIONS}, or the topic of the
 * provider nodes the call needs ({@link ProviderRoutes}), keyed by CID (see {@link HotKeys}), with the job id as {@link Topics#CORRELATION_ID} and this replica's reply partition
 * ({@code cidra.invocations.reply-partition}) as {@link InvocationRequest#replyPartition()}, and completes each pending
 * call with the first {@link InvocationReply} carrying its correlation id. The replica reads only that partition of
 * {@link Topics#REPLIES}, from the end it had at startup, so N replicas do the reply work once, not N times. A reply in
 * time goes to this replica's {@link JobView}; a late one (its call timed out and was queued as a job) is published as
 * the job's terminal {@link JobEvent}, so every replica shows it. Replies to nobody's call here, and duplicates,
 * complete nothing. Thread-safe.
 */
@Singleton
public class InvocationChannel {
    private static final Logger LOG = Logger.getLogger(InvocationChannel.class);

    private final KafkaClients clients;
    private final Records records;
    private final JobView view;
    private final GatewayConfig.Invocations config;
    private final Ticker ticker;
    private final ProviderRoutes routes;
    private final ConcurrentMap<String, CompletableFuture<InvocationReply>> pending = new ConcurrentHashMap<>();
    private KafkaProducer<byte[], byte[]> producer;
    private HotKeys hotKeys;
    private TopicReader replies;
    private int replyPartition;

    InvocationChannel(
            KafkaClients clients,
            Records records,
            JobView view,
            GatewayConfig config,
            Ticker ticker,
            ProviderRoutes routes) {
        this.clients = clients;
        this.records = records;
        this.view = view;
        this.config = config.invocations();
        this.ticker = ticker;
        this.routes = routes;
    }

    /**
     * Starts reading replies (positioned before this returns) and the producer.
     *
     * @throws org.apache.kafka.common.KafkaException if Kafka cannot be reached; startup fails
     */
    void start(@Observes StartupEvent startup) {
        producer = clients.producer("cidra-gateway-invocations", Optional.empty());
        int partitions = producer.partitionsFor(Topics.INVOCATIONS).size();
        hotKeys = new HotKeys(config.hotKeyRate(), partitions, ticker);
        replyPartition = config.replyPartition()
                .orElseGet(() -> Math.floorMod(
                        hostName().hashCode(),
                        producer.partitionsFor(Topics.REPLIES).size()));
        replies = clients.reader(new TopicPartition(Topics.REPLIES, replyPartition), this::onReply);
        replies.start();
        LOG.infof("reading replies from partition %d of %s", replyPartition, Topics.REPLIES);
    }

    /** The partition of {@link Topics#REPLIES} this replica reads; set at startup. */
    public int replyPartition() {
        return replyPartition;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (replies != null) {
            replies.close();
        }
        if (producer != null) {
            producer.close(clients.requestTimeout());
        }
        pending.values()
                .forEach(call ->
                        call.completeExceptionally(new MessagingException("the gateway is shutting down", null)));
    }

    /**
     * Publishes {@code request} and returns its reply to come. The caller must {@link #forget} the call when it stops
     * waiting.
     *
     * @return completes with the first reply, or exceptionally with a {@link MessagingException} if the request could
     *     not be published, or with a {@link NoProviderException} (nothing published) if it needs a provided module no
     *     live provider node offers
     */
    public CompletableFuture<InvocationReply> call(InvocationRequest request) {
        if (request.replyPartition() == null || request.replyPartition() != replyPartition) {
            throw new IllegalArgumentException("job " + request.jobId() + " names reply partition "
                    + request.replyPartition() + ", not this replica's " + replyPartition);
        }
        String topic;
        try {
            topic = routes.invocationsTopic(request.moduleCid());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        var reply = new CompletableFuture<InvocationReply>();
        String correlationId = request.jobId();
        if (pending.putIfAbsent(correlationId, reply) != null) {
            throw new IllegalArgumentException("job " + correlationId + " is already waiting for a reply");
        }
        ProducerRecord<byte[], byte[]> record = records.of(topic, hotKeys.keyFor(request.moduleCid()), request);
        record.headers().add(Topics.CORRELATION_ID, correlationId.getBytes(StandardCharsets.UTF_8));
        send(record).exceptionally(e -> {
            forget(correlationId);
            reply.completeExceptionally(e);
            return null;
        });
        return reply;
    }

    /** Stops waiting for the reply of {@code jobId}; a reply arriving later only goes to the job view. */
    public void forget(String jobId) {
        pending.remove(jobId);
    }

    /**
     * Publishes a job event (keyed by job id) and folds it into this replica's view at once.
     *
     * @return completes when Kafka acknowledged it, or exceptionally with a {@link MessagingException}
     */
    public CompletableFuture<Void> publish(JobEvent event) {
        view.apply(event);
        return send(records.of(Topics.JOB_EVENTS, event.jobId(), event));
    }

    /** Sends; completes when acknowledged, or exceptionally with a {@link MessagingException} naming the topic. */
    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        var acknowledged = new CompletableFuture<Void>();
        Producers.send(producer, record).whenComplete((metadata, e) -> {
            if (e == null) {
                acknowledged.complete(null);
            } else {
                acknowledged.completeExceptionally(KafkaClients.unavailable(record.topic(), e));
            }
        });
        return acknowledged;
    }

    /** Why the reply reader stopped for good, or null while it reads. */
    public String readerFailure() {
        return replies == null ? "not started" : replies.failure();
    }

    private void onReply(ConsumerRecord<byte[], byte[]> record) {
        InvocationReply reply = records.decode(record, InvocationReply.class);
        String correlationId = Records.header(record, Topics.CORRELATION_ID);
        var call = correlationId == null ? null : pending.remove(correlationId);
        if (call != null && call.complete(reply)) {
            view.applyReply(reply);
            return;
        }
        if (call != null || view.waitsForItsEnd(reply.jobId())) {
            // Its call timed out (just now, or earlier and was queued as a job): the reply ends the job, for all.
            publish(view.asEvent(reply)).exceptionally(e -> {
                LOG.warnf("the late reply of job %s is known only to this replica: %s", reply.jobId(), e.getMessage());
                return null;
            });
        } else {
            LOG.debugf("reply of job %s (correlation id %s) completes no call here", reply.jobId(), correlationId);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
