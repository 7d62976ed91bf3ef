package dev.cidra.executor.service.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cidra.contract.NodeInfo;
import dev.cidra.executor.WasmRuntime;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.providers.ProvidedModules;
import dev.cidra.executor.service.triggers.TriggerTally;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Announces this executor on {@code cidra.nodes} (channel {@value #CHANNEL}): once at startup, then every
 * {@code cidra.node.heartbeat-interval}, and a tombstone at shutdown so that readers drop the node at once. A node killed
 * without its goodbye is dropped by readers after {@link NodeInfo#MISSED_HEARTBEATS} intervals.
 *
 * <p>Failure: an announcement Kafka does not take is logged once when announcing starts failing and once when it works
 * again; the next one is tried on schedule. Announcing never blocks a guest.
 */
@Singleton
public class NodeAnnouncer {
    static final String CHANNEL = "node-announcements";
    private static final Logger LOG = Logger.getLogger(NodeAnnouncer.class);
    /** How many linked entry CIDs an announcement lists at most. */
    static final int MAX_LINKED = 100;

    private final Emitter<Record<String, String>> emitter;
    private final ObjectMapper json;
    private final Guests guests;
    private final WasmRuntime runtime;
    private final TriggerTally triggers;
    private final ExecutorConfig.Node config;
    private final ProvidedModules provided;
    private final Clock clock;
    private final String version;
    private final Instant startedAt;
    private final AtomicBoolean failing = new AtomicBoolean();
    private ScheduledExecutorService timer;

    NodeAnnouncer(
            @Channel(CHANNEL) Emitter<Record<String, String>> emitter,
            ObjectMapper json,
            Guests guests,
            WasmRuntime runtime,
            TriggerTally triggers,
            ProvidedModules provided,
            ExecutorConfig config,
            Clock clock,
            @ConfigProperty(name = "quarkus.application.version") String version) {
        this.emitter = emitter;
        this.json = json;
        this.guests = guests;
        this.runtime = runtime;
        this.triggers = triggers;
        this.config = config.node();
        this.provided = provided;
        this.clock = clock;
        this.version = version;
        this.startedAt = clock.instant();
    }

    /** After the requests consumer has created the topics, so that no gateway routes to a provided set's missing topic. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent startup) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "cidra-node-announcer");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.heartbeatInterval().toMillis();
        timer.scheduleAtFixedRate(this::announce, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** What this node is now. */
    public NodeInfo now() {
        var cache = runtime.linkCacheStats();
        return new NodeInfo(
                guests.nodeId(),
                version,
                runtime.implementationName(),
                runtime.mode().name(),
                config.labels(),
                runtime.linkedEntries(MAX_LINKED),
                provided.cids(),
                guests.concurrency(),
                guests.running(),
                startedAt,
                clock.instant(),
                config.heartbeatInterval().toMillis(),
                new NodeInfo.Cache(cache.hits(), cache.misses(), cache.evictions(), cache.bytes()),
                triggers.snapshot());
    }

    private void announce() {
        String value;
        try {
            value = json.writeValueAsString(now());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf(e, "cannot describe this node for cidra.nodes");
            return;
        }
        try {
            emitter.send(Record.of(guests.nodeId(), value)).whenComplete((ok, failure) -> settled(failure));
        } catch (RuntimeException e) {
            settled(e);
        }
    }

    private void settled(Throwable failure) {
        if (failure == null) {
            if (failing.compareAndSet(true, false)) {
                LOG.infof("announcing node %s on cidra.nodes works again", guests.nodeId());
            }
        } else if (failing.compareAndSet(false, true)) {
            LOG.warnf(
                    "cannot announce node %s on cidra.nodes (retrying every %s): %s",
                    guests.nodeId(), config.heartbeatInterval(), failure.getMessage());
        }
    }

    /** Stops announcing and says goodbye (a tombstone), waiting up to 2 s for Kafka to take it. */
    void stop(@Observes ShutdownEvent shutdown) {
        if (timer != null) {
            timer.shutdownNow();
        }
        try {
            emitter.send(Record.of(guests.nodeId(), (String) null))
                    .toCompletableFuture()
                    .get(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf(
                    "node %s left without its goodbye on cidra.nodes: readers drop it after %d missed heartbeats",
                    guests.nodeId(), NodeInfo.MISSED_HEARTBEATS);
        }
    }
}
