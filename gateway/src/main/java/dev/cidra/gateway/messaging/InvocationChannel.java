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
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Synchronous calls over Kafka: publishes {@link InvocationRequest}s to {@link Topics#INVOCATIONS}, or the topic of the
 * provider nodes the call needs ({@link ProviderRoutes}), keyed by CID (see {@link HotKeys}), with the job id as {@link Topics#CORRELATION_ID}, and completes each pending call with the first
 * {@link InvocationReply} carrying its correlation id. Every replica reads every partition of {@link Topics#REPLIES}
 * from the end it had at startup, so a reply reaches the replica that waits for it whichever partition it lands on;
 * every reply also goes to the {@link JobView}, so any replica can show the late reply of a call that timed out.
 * Replies to nobody's call, and duplicates, complete nothing. Thread-safe.
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
        replies = clients.reader(Topics.REPLIES, this::onReply);
        replies.start();
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
        if (call != null) {
            call.complete(reply);
        } else {
            LOG.debugf("reply of job %s (correlation id %s) completes no call here", reply.jobId(), correlationId);
        }
        view.applyReply(reply);
    }
}
