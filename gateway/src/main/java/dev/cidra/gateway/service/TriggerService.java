package dev.cidra.gateway.service;

import dev.cidra.contract.Trigger;
import dev.cidra.gateway.messaging.MessagingException;
import dev.cidra.gateway.messaging.TriggerStore;
import dev.cidra.gateway.nodes.NodeView;
import dev.cidra.gateway.security.Caller;
import dev.cidra.gateway.security.JobStorageRules;
import dev.cidra.gateway.spec.InvalidRequestException;
import dev.cidra.gateway.spec.SpecParser;
import dev.cidra.gateway.spec.TriggerSpecReader;
import dev.cidra.gateway.triggers.TriggerExistsException;
import dev.cidra.gateway.triggers.TriggerNotFoundException;
import dev.cidra.gateway.triggers.TriggerStats;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Defines, lists and deletes {@link Trigger}s. Definitions live in Kafka ({@link TriggerStore}), so they survive any
 * restart and every executor runs them. Thread-safe: one replica defines one trigger at a time; two replicas defining
 * the same name at the same moment may both succeed, and the later definition wins.
 */
@Singleton
public class TriggerService {
    /** The largest definition read, in bytes. */
    static final int MAX_DEFINITION_BYTES = 64 * 1024;

    private final TriggerSpecReader reader;
    private final SpecParser parser;
    private final TriggerStore store;
    private final Clock clock;
    private final JobStorageRules storage;
    private final NodeView nodes;

    TriggerService(
            TriggerSpecReader reader,
            SpecParser parser,
            TriggerStore store,
            Clock clock,
            JobStorageRules storage,
            NodeView nodes) {
        this.reader = reader;
        this.parser = parser;
        this.store = store;
        this.clock = clock;
        this.storage = storage;
        this.nodes = nodes;
    }

    /**
     * Defines a trigger: creates its source, output and dead-letter topics when missing (with the broker's defaults),
     * and records where the source's partitions end now, so that it runs every record produced from now on.
     *
     * @param mediaType the body's media type, which tells YAML from JSON
     * @param caller who defines it: the trigger belongs to its tenant
     * @return the trigger as defined, defaults filled in
     * @throws InvalidRequestException if the definition is invalid or too large
     * @throws TriggerExistsException if a trigger of that name is defined (names are shared by every tenant: the
     *     consumer groups and the output records carry them)
     * @throws MessagingException if Kafka did not take it, or this replica has not read every definition yet
     */
    public synchronized Trigger create(InputStream body, String mediaType, Caller caller) {
        var root = parser.parse(
                SpecParser.read(body, MAX_DEFINITION_BYTES, "the trigger"),
                SpecParser.isYaml(mediaType),
                InvalidRequestException.Kind.TRIGGER,
                "a trigger");
        Trigger trigger =
                reader.read(root, UUID.randomUUID().toString(), clock.instant()).ownedBy(caller.tenant());
        var refusal = storage.refusal(trigger.output().publisher(), trigger.tenant());
        if (refusal.isPresent()) {
            throw new InvalidRequestException(
                    InvalidRequestException.Kind.TRIGGER, "output.publisher.Params: " + refusal.get());
        }
        store.requireCaughtUp();
        if (store.get(trigger.name()).isPresent()) {
            throw new TriggerExistsException(trigger.name());
        }
        var topics = new ArrayList<>(List.of(trigger.topic(), trigger.deadLetterTopic()));
        if (trigger.output().topic() != null) {
            topics.add(trigger.output().topic());
        }
        store.createTopics(topics);
        trigger = trigger.startingAt(store.endOffsets(trigger.topic()));
        store.put(trigger);
        return trigger;
    }

    /** The caller's triggers (an admin's: every trigger), by name. */
    public List<Trigger> list(Caller caller) {
        return store.all().stream()
                .filter(trigger -> caller.owns(trigger.tenant()))
                .sorted(Comparator.comparing(Trigger::name))
                .toList();
    }

    /** @throws TriggerNotFoundException if none of that name is defined, or it is another tenant's */
    public Trigger get(String name, Caller caller) {
        return store.get(name)
                .filter(trigger -> caller.owns(trigger.tenant()))
                .orElseThrow(() -> new TriggerNotFoundException(name));
    }

    /**
     * How the trigger is doing now: its group's offsets in its topic, read from Kafka, and the live executors' counts.
     *
     * @throws TriggerNotFoundException if none of that name is defined, or it is another tenant's
     * @throws MessagingException if Kafka does not tell the offsets
     */
    public TriggerStats stats(String name, Caller caller) {
        var trigger = get(name, caller);
        return TriggerStats.of(
                trigger, store.endOffsets(trigger.topic()), store.committedOffsets(trigger), nodes.list());
    }

    /**
     * Deletes a trigger: executors stop running it within moments; records of its topic are left as they are.
     *
     * @throws TriggerNotFoundException if none of that name is defined, or it is another tenant's
     * @throws MessagingException if Kafka did not take the deletion
     */
    public void delete(String name, Caller caller) {
        get(name, caller);
        store.delete(name);
    }
}
