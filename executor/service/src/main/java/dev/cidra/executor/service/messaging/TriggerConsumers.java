package dev.cidra.executor.service.messaging;

import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.triggers.TriggerRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Runs on this node every {@link Trigger} defined in {@link Topics#TRIGGERS}: reads the whole topic, from the
 * beginning, through the channel {@value #CHANNEL} (a consumer group of its own per node, so that every partition is
 * its own, committing nothing), and starts a {@link TriggerLoop} for each trigger, stops it when its tombstone
 * arrives, and replaces it when a new incarnation (another id) of the name arrives. Every executor runs every trigger;
 * the trigger's consumer group shares its partitions among them. A trigger whose loop ended on a failure is started
 * again after {@value #RESTART_SECONDS} s, so one broken trigger neither stops the others nor needs the node restarted.
 *
 * <p>Thread-safety: the channel's worker thread, the restart timer and shutdown change the running loops under this
 * object's lock; after shutdown nothing starts. {@link #states()} and {@link #readerFailure()} read without the lock,
 * so health checks never wait for a loop to stop.
 */
@Singleton
class TriggerConsumers {
    /** The incoming channel of {@link Topics#TRIGGERS}. */
    static final String CHANNEL = "triggers";

    static final int RESTART_SECONDS = 10;
    private static final Logger LOG = Logger.getLogger(TriggerConsumers.class);

    private final RecordDecoder decoder;
    private final TriggerRunner runner;
    private final ExecutorConfig config;
    private final String nodeId;
    private final Map<String, Trigger> defined = new ConcurrentHashMap<>(); // changed under this
    private final Map<String, TriggerLoop> running = new ConcurrentHashMap<>(); // changed under this
    /** Looked up once started: the channel exists only once the messaging extension has wired it. */
    private final Instance<PausableChannel> channel;

    private final HealthCenter health;
    private boolean closed; // guarded by this
    private ScheduledExecutorService restarts;

    TriggerConsumers(
            RecordDecoder decoder,
            TriggerRunner runner,
            ExecutorConfig config,
            Guests guests,
            @Channel(CHANNEL) Instance<PausableChannel> channel,
            HealthCenter health) {
        this.decoder = decoder;
        this.runner = runner;
        this.config = config;
        this.nodeId = guests.nodeId();
        this.channel = channel;
        this.health = health;
    }

    /** After {@link RequestConsumer} has created the topics: the channel starts paused. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) StartupEvent event) {
        restarts = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("cidra-trigger-restarts").daemon(true).factory());
        restarts.scheduleWithFixedDelay(this::restartFailed, RESTART_SECONDS, RESTART_SECONDS, TimeUnit.SECONDS);
        channel.get().resume();
    }

    /** Stops every loop; the channel itself is stopped by the messaging extension, and what it still hands is ignored. */
    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            closed = true;
            defined.clear();
        }
        if (restarts == null) {
            return;
        }
        restarts.shutdownNow();
        synchronized (this) {
            for (String name : List.copyOf(running.keySet())) {
                stopLoop(name);
            }
        }
    }

    /**
     * Why the channel of {@link Topics#TRIGGERS} stopped for good (the messaging extension's liveness of it), or null
     * while it reads (or before it started).
     */
    String readerFailure() {
        return health.getLiveness().getChannels().stream()
                .filter(info -> info.getChannel().equals(CHANNEL) && !info.isOk())
                .findFirst()
                .map(info -> info.getMessage() == null ? "down" : info.getMessage())
                .orElse(null);
    }

    /** Each trigger this node runs, with {@code "consuming"} or why its loop stopped; sorted by name. */
    Map<String, String> states() {
        var states = new TreeMap<String, String>();
        defined.keySet().forEach(name -> {
            TriggerLoop loop = running.get(name);
            String failure = loop == null ? "not started" : loop.failure();
            states.put(name, failure == null ? "consuming" : "stopped: " + failure);
        });
        return states;
    }

    /**
     * Starts, replaces or stops the trigger a definition or tombstone names; a record that is not a valid definition is
     * logged and skipped.
     */
    @Incoming(CHANNEL)
    @Blocking
    void consume(ConsumerRecord<byte[], byte[]> record) {
        try {
            apply(record);
        } catch (RuntimeException e) {
            LOG.errorf(e, "record %s could not be handled; skipped", DeadLetter.origin(record));
        }
    }

    private synchronized void apply(ConsumerRecord<byte[], byte[]> record) {
        if (closed) {
            return;
        }
        if (record.key() == null) {
            LOG.warnf("record %s of %s has no key (a trigger name); skipped", record.offset(), Topics.TRIGGERS);
            return;
        }
        String name = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            defined.remove(name);
            stopLoop(name);
            LOG.infof("trigger %s deleted; this node no longer runs it", name);
            return;
        }
        Trigger trigger = decoder.decode(record.value(), Trigger.class);
        if (!trigger.name().equals(name)) {
            throw new IllegalArgumentException("the record keyed " + name + " defines trigger " + trigger.name());
        }
        if (trigger.equals(defined.get(name))) {
            return;
        }
        defined.put(name, trigger);
        stopLoop(name);
        startLoop(trigger);
    }

    /** Never throws: an exception would end the timer's schedule for good. */
    private synchronized void restartFailed() {
        for (Trigger trigger : List.copyOf(defined.values())) {
            if (closed) {
                return;
            }
            TriggerLoop loop = running.get(trigger.name());
            if (loop == null || loop.failure() != null) {
                LOG.warnf(
                        "trigger %s is not consuming (%s); starting it again",
                        trigger.name(), loop == null ? "it could not start" : loop.failure());
                try {
                    stopLoop(trigger.name());
                    startLoop(trigger);
                } catch (RuntimeException e) {
                    LOG.errorf(
                            e,
                            "trigger %s could not be restarted; trying again in %d s",
                            trigger.name(),
                            RESTART_SECONDS);
                }
            }
        }
    }

    /** Starts the trigger's loop; if it cannot start, logs why and leaves it to the restart timer. */
    private void startLoop(Trigger trigger) {
        try {
            running.put(trigger.name(), TriggerLoop.start(trigger, runner, config.kafka(), nodeId));
            LOG.infof(
                    "trigger %s: running %s on each record of %s, at most %d at once",
                    trigger.name(), trigger.module(), trigger.topic(), trigger.concurrency());
        } catch (RuntimeException e) {
            LOG.errorf(e, "trigger %s cannot start; trying again in %d s", trigger.name(), RESTART_SECONDS);
        }
    }

    /** Stops the trigger's loop, if it runs; a failure to stop is logged (the loop is forgotten either way). */
    private void stopLoop(String name) {
        TriggerLoop loop = running.remove(name);
        if (loop == null) {
            return;
        }
        try {
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf("interrupted while stopping trigger %s", name);
        } catch (RuntimeException e) {
            LOG.errorf(e, "trigger %s did not stop cleanly", name);
        }
    }
}
