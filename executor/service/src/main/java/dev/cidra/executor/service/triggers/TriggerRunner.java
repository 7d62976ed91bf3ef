package dev.cidra.executor.service.triggers;

import dev.cidra.contract.DeadLetter;
import dev.cidra.contract.Trigger;
import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.service.config.ExecutorConfig;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.execution.GuestRun;
import dev.cidra.executor.service.execution.Guests;
import dev.cidra.executor.service.execution.WorkDir;
import dev.cidra.executor.service.publishing.JobResult;
import dev.cidra.executor.service.publishing.Publication;
import dev.cidra.executor.service.publishing.PublishException;
import dev.cidra.executor.service.publishing.ResultPublisher;
import dev.cidra.registry.InvalidCidException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Runs one record of a {@link Trigger} to its end: the guest runs with the record as input (value as stdin, the rest
 * in the {@code Trigger.ENV_*} variables) until an attempt succeeds or {@code retry.maxAttempts} have failed, waiting
 * {@link Trigger.Retry#backoffAfter} between attempts on the calling thread. An attempt succeeds when the guest exits
 * with code 0, its stdout fits in one record, and (for a publisher output) its result is published.
 *
 * <p>The outcome is what the caller commits in its transaction together with the record's offset: the output record
 * (topic output), nothing (publisher output: published before this returns, to a key that depends only on the trigger
 * and the record, so a rerun overwrites it), or, after the last failed attempt, the record's dead letter for the
 * trigger's {@code deadLetterTopic} with the last reason. A record that can never succeed (the trigger's module is not
 * a CID, an output too large for a record) is dead-lettered without further attempts; a dead letter too large for a
 * record leaves the value out (header {@value #VALUE_DROPPED_HEADER}: its length).
 *
 * <p>Each attempt is a {@link GuestRun}, not traced or timed. Thread-safe. Counts outcomes and failed attempts in the
 * {@link TriggerTally}.
 */
@Singleton
public class TriggerRunner {
    /**
     * The most bytes an output record or a dead letter carries, key, value and headers together: under Kafka's default
     * 1 MiB request limit, with room for the record's framing.
     */
    static final int MAX_RECORD_BYTES = 1_000_000;

    /** Header on a dead letter whose value was left out because the record with its reason would not fit. */
    static final String VALUE_DROPPED_HEADER = "cidra-dead-letter-value-dropped";

    /** The most characters of a failure's reason a dead letter carries. */
    static final int MAX_REASON_CHARS = 2000;

    private static final Logger LOG = Logger.getLogger(TriggerRunner.class);

    private final GuestRun guestRun;
    private final String nodeId;
    private final ResultPublisher publisher;
    private final TriggerTally tally;
    private final Path workRoot;
    private final long diskBytes;

    TriggerRunner(
            GuestRun guestRun, Guests guests, ResultPublisher publisher, ExecutorConfig config, TriggerTally tally) {
        this.guestRun = guestRun;
        this.nodeId = guests.nodeId();
        this.publisher = publisher;
        this.tally = tally;
        this.workRoot = config.jobs().workDir();
        this.diskBytes = config.jobs().defaultDiskBytes();
    }

    /**
     * @return the records to commit with the record's offset: its output record, or none, or its dead letter
     * @throws IllegalStateException if interrupted (between attempts or waiting for a guest slot): nothing may be
     *     committed for the record, which must run again
     */
    public List<ProducerRecord<byte[], byte[]>> run(Trigger trigger, ConsumerRecord<byte[], byte[]> record) {
        GuestRun.Modules modules;
        try {
            modules = GuestRun.Modules.parse(trigger.module(), Map.of());
        } catch (InvalidCidException e) {
            return deadLetter(trigger, record, 0, "module: " + e.getMessage());
        }
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = attempt(trigger, record, modules, attempt);
            if (outcome.error() == null) {
                tally.succeeded(trigger, outcome.output().isPresent() ? "output" : "published");
                return outcome.output().map(List::of).orElse(List.of());
            }
            tally.failedAttempt(trigger);
            if (outcome.permanent() || attempt >= trigger.retry().maxAttempts()) {
                return deadLetter(trigger, record, attempt, outcome.error());
            }
            long wait = trigger.retry().backoffAfter(attempt);
            if (!outcome.outage()) { // an outage is logged by the S3Outage, once per change
                LOG.infof(
                        "trigger %s: attempt %d at %s failed (%s); again in %d ms",
                        trigger.name(), attempt, DeadLetter.origin(record), outcome.error(), wait);
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted between attempts at " + DeadLetter.origin(record), e);
            }
        }
    }

    /** One attempt's outcome: an error (permanent if no attempt can succeed), else the output record, if any. */
    private record Attempt(
            String error, boolean permanent, boolean outage, Optional<ProducerRecord<byte[], byte[]>> output) {
        static Attempt failed(String error, boolean permanent) {
            return new Attempt(error, permanent, false, Optional.empty());
        }
    }

    private Attempt attempt(
            Trigger trigger, ConsumerRecord<byte[], byte[]> record, GuestRun.Modules modules, int attempt) {
        Map<String, String> env = environment(trigger, record, attempt);
        InvocationResult result = guestRun.runUntraced(new GuestRun.Guest(
                modules,
                trigger.entrypoint(),
                trigger.args(),
                env,
                record.value() == null ? new byte[0] : record.value(),
                List.of(),
                guestRun.limits(trigger.memoryBytes(), trigger.timeoutMillis()).withStdoutBytes(MAX_RECORD_BYTES)));
        String failure = GuestRun.failure(result);
        if (failure != null) {
            return Attempt.failed(
                    result.status() == InvocationResult.Status.EXITED ? failure + stderrTail(result) : failure, false);
        }
        if (result.stdoutTruncated()) {
            return Attempt.failed(
                    "stdout exceeds " + MAX_RECORD_BYTES + " bytes, the most an output record carries", true);
        }
        var output = trigger.output();
        if (output.topic() != null) {
            var out = new ProducerRecord<>(output.topic(), null, record.key(), result.stdout());
            out.headers().add(Trigger.TRIGGER_HEADER, utf8(trigger.name()));
            out.headers().add(Trigger.SOURCE_HEADER, utf8(DeadLetter.origin(record)));
            out.headers().add(Trigger.ATTEMPTS_HEADER, utf8(Integer.toString(attempt)));
            if (size(out) > MAX_RECORD_BYTES) {
                return Attempt.failed(
                        "the output record (key, stdout and headers) exceeds " + MAX_RECORD_BYTES
                                + " bytes, the most a record carries",
                        true);
            }
            return new Attempt(null, false, false, Optional.of(out));
        }
        String jobId = trigger.jobId(record.partition(), record.offset());
        var publication = new Publication(
                jobId,
                jobId,
                nodeId,
                Instant.ofEpochMilli(Math.max(0, record.timestamp())),
                output.publisher(),
                trigger.tenant());
        try (WorkDir dir = WorkDir.create(workRoot)) {
            publisher.publish(
                    publication,
                    new JobResult(Map.of(), result.stdout(), result.stderr(), result.exitCode()),
                    dir.path(),
                    new DiskBudget(diskBytes));
            return new Attempt(null, false, false, Optional.empty());
        } catch (PublishException e) {
            return new Attempt(e.getMessage(), false, e.outage(), Optional.empty());
        } catch (IOException e) {
            return Attempt.failed("cannot create a work directory under " + workRoot + ": " + e, false);
        }
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(
            Trigger trigger, ConsumerRecord<byte[], byte[]> record, int attempts, String reason) {
        tally.deadLettered(trigger);
        String why = "trigger " + trigger.name() + ": " + reason;
        var letter = DeadLetter.of(
                record,
                trigger.deadLetterTopic(),
                why.length() > MAX_REASON_CHARS ? why.substring(0, MAX_REASON_CHARS) + "..." : why);
        letter.headers().remove(Trigger.TRIGGER_HEADER).remove(Trigger.ATTEMPTS_HEADER);
        letter.headers().add(Trigger.TRIGGER_HEADER, utf8(trigger.name()));
        letter.headers().add(Trigger.ATTEMPTS_HEADER, utf8(Integer.toString(attempts)));
        if (size(letter) > MAX_RECORD_BYTES) {
            var dropped =
                    new ProducerRecord<byte[], byte[]>(letter.topic(), null, letter.key(), null, letter.headers());
            dropped.headers().add(VALUE_DROPPED_HEADER, utf8(Integer.toString(record.value().length)));
            return List.of(dropped);
        }
        return List.of(letter);
    }

    /** The bytes of a record's key, value and headers (names and values). */
    private static long size(ProducerRecord<byte[], byte[]> record) {
        long size =
                (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    /** The trigger's own environment, then the record's variables. */
    static Map<String, String> environment(Trigger trigger, ConsumerRecord<byte[], byte[]> record, int attempt) {
        var env = new LinkedHashMap<>(trigger.env());
        env.put(Trigger.ENV_TRIGGER, trigger.name());
        env.put(Trigger.ENV_TOPIC, record.topic());
        env.put(Trigger.ENV_PARTITION, Integer.toString(record.partition()));
        env.put(Trigger.ENV_OFFSET, Long.toString(record.offset()));
        env.put(Trigger.ENV_TIMESTAMP, Long.toString(record.timestamp()));
        env.put(Trigger.ENV_ATTEMPT, Integer.toString(attempt));
        if (record.key() != null) {
            put(env, Trigger.ENV_KEY, Trigger.ENV_KEY_BASE64, record.key());
        }
        for (String name : trigger.headers()) {
            Header header = record.headers().lastHeader(name);
            if (header != null && header.value() != null) {
                String variable = Trigger.headerEnvName(name);
                put(env, variable, variable + "_BASE64", header.value());
            }
        }
        return env;
    }

    /** {@code bytes} as UTF-8 text under {@code name}, or in base64 under {@code base64Name} when not valid UTF-8. */
    private static void put(Map<String, String> env, String name, String base64Name, byte[] bytes) {
        try {
            env.put(
                    name,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString());
        } catch (CharacterCodingException e) {
            env.put(base64Name, Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static String stderrTail(InvocationResult result) {
        String stderr = result.stderrText().strip();
        if (stderr.isEmpty()) {
            return "";
        }
        return "; stderr: " + (stderr.length() > 500 ? "..." + stderr.substring(stderr.length() - 500) : stderr);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
