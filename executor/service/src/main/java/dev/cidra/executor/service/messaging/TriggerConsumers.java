package dev.cidra.executor.service.messaging;

import dev.cidra.contract.TopicReader;
import dev.cidra.contract.Topics;
import dev.cidra.contract.Trigger;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.triggers.TriggerRunner;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Runs on this node every {@link Trigger} defined in {@link Topics#TRIGGERS}: reads the whole topic, from the
 * beginning and outside any group, and starts a {@link TriggerLoop} for each trigger, stops it when its tombstone
 * arrives, and replaces it when a new incarnation (another id) of the name arrives. Every executor runs every trigger;
 * the trigger's consumer group shares its partitions among them. A trigger whose loop ended on a failure is started
 * again after {@value #RESTART_SECONDS} s, so one broken trigger neither stops the others nor needs the node restarted.
 *
 * <p>Thread-safety: the reader's thread, the restart timer and shutdown change the running loops under this object's
 * lock; after shutdown nothing starts. {@link #states()} and {@link #readerFailure()} read without the lock, so health
 * checks never wait for a loop to stop.
 */
@Singleton
class TriggerConsumers {
    static final int RESTART_SECONDS = 10;
    private static final Logger LOG = Logger.getLogger(TriggerConsumers.class);

    private final RecordDecoder decoder;
    private final TriggerRunner runner;
    private final ExecutorConfig config;
    private final String nodeId;
    private final Map<String, Trigger> defined = new ConcurrentHashMap<>(); // changed under this
    private final Map<String, TriggerLoop> running = new ConcurrentHashMap<>(); // changed under this
    private boolean closed; // guarded by this
    private volatile TopicReader reader;
    private ScheduledExecutorService restarts;

    TriggerConsumers(RecordDecoder decoder, TriggerRunner runner, ExecutorConfig config, Guests guests) {
        this.decoder = decoder;
        this.runner = runner;
        this.config = config;
        this.nodeId = guests.nodeId();
    }

    /** After {@link RequestConsumer} has created the topics. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) StartupEvent event) {
        var kafka = config.kafka();
        var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "cidra-executor-triggers",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        reader = new TopicReader(
                consumer, Topics.TRIGGERS, TopicReader.From.BEGINNING, this::apply, kafka.requestTimeout());
        reader.start();
        restarts = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("cidra-trigger-restarts").daemon(true).factory());
        restarts.scheduleWithFixedDelay(this::restartFailed, RESTART_SECONDS, RESTART_SECONDS, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        synchronized (this) {
            closed = true;
            defined.clear();
        }
        if (reader == null) {
            return;
        }
        restarts.shutdownNow();
        reader.close();
        synchronized (this) {
            for (String name : List.copyOf(running.keySet())) {
                stopLoop(name);
            }
        }
    }

    /** Why the reader of {@link Topics#TRIGGERS} stopped for good, or null while it reads (or before it started). */
    String readerFailure() {
        TopicReader current = reader;
        return current == null ? null : current.failure();
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

    /** Whether the definitions that were in {@link Topics#TRIGGERS} at startup have all been read. */
    boolean caughtUp() {
        return reader != null && reader.caughtUp();
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
