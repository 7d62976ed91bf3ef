package dev.cidra.gateway.service;

import dev.cidra.contract.Deterministic;
import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.InvocationRequest;
import dev.cidra.contract.JobEvent;
import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.gateway.messaging.InvocationChannel;
import dev.cidra.gateway.messaging.MessagingException;
import dev.cidra.gateway.spec.EnvironmentVariables;
import dev.cidra.gateway.spec.GuestMemory;
import dev.cidra.gateway.spec.InvalidRequestException;
import dev.cidra.gateway.spec.Quantities;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Synchronous invocations: validates a call, publishes it as an {@link InvocationRequest} and waits for the reply, at
 * most the guest's timeout plus {@code cidra.invocations.reply-wait-slack}, without holding a thread. A call without
 * a reply by then becomes a queued job ({@link JobEvent#queued} published), whose late reply {@code GET /v1/jobs/{id}}
 * shows. The request's {@link InvocationRequest#replyBy()} is the end of that wait: an executor taking it later does not
 * run it and replies {@code EXPIRED}, which fails the job. Records every call in the counter {@value #INVOCATIONS} and the timer {@value #INVOCATION_DURATION}, tagged
 * {@code outcome} ({@link Outcome}, as {@link dev.cidra.contract.MeterTag} values), registered at startup. Thread-safe.
 */
@Startup
@Singleton
public class InvocationService {
    /** Counter of synchronous invocations by outcome. */
    public static final String INVOCATIONS = "cidra.gateway.invocations";
    /** Timer of synchronous invocations by outcome, from the request to the answer. */
    public static final String INVOCATION_DURATION = "cidra.gateway.invocation.duration";

    private static final Logger LOG = Logger.getLogger(InvocationService.class);

    /** How a call ended, as the metrics tag it: a reply's status under its own name, or why there was no reply. */
    enum Outcome {
        EXITED,
        TRAPPED,
        TIMED_OUT,
        REJECTED,
        UNDELIVERABLE,
        EXPIRED,
        NO_REPLY,
        INVALID,
        UNAVAILABLE;

        /**
         * The outcome of a call answered with {@code status}. Exhaustive without a default, so a status added to the
         * contract stops this compiling; {@code OutcomeTest} fails if the names drift apart.
         */
        static Outcome of(InvocationReply.Status status) {
            return switch (status) {
                case EXITED -> EXITED;
                case TRAPPED -> TRAPPED;
                case TIMED_OUT -> TIMED_OUT;
                case REJECTED -> REJECTED;
                case UNDELIVERABLE -> UNDELIVERABLE;
                case EXPIRED -> EXPIRED;
            };
        }
    }

    /**
     * A call as the HTTP layer received it; parameters not given are null (lists empty).
     *
     * @param env {@code NAME=value} entries
     * @param stdin the request body as read: at most one byte past {@code cidra.invocations.max-stdin-bytes}, so
     *     that a longer body is one byte over the limit
     * @param declaredLength the body's declared length, if any
     * @param tenant the caller's tenant, which a call that becomes a job belongs to
     */
    public record Call(
            String cid,
            List<String> args,
            List<String> env,
            String entrypoint,
            String timeout,
            String memory,
            byte[] stdin,
            OptionalLong declaredLength,
            String tenant,
            String deterministic,
            String randomSeed) {}

    /** What came of a call. */
    public sealed interface Result {
        InvocationRequest request();
    }

    /** The executor replied. */
    public record Replied(InvocationRequest request, InvocationReply reply) implements Result {}

    /** No reply within the wait: the call is now a queued job. */
    public record NoReply(InvocationRequest request, Duration waited) implements Result {}

    private final InvocationChannel channel;
    private final Clock clock;
    private final GatewayConfig.Invocations config;
    private final long defaultMemory;
    private final OutcomeMeters<Outcome> meters;

    /** @throws IllegalArgumentException if {@code cidra.invocations.*} holds an invalid value */
    InvocationService(InvocationChannel channel, Clock clock, GatewayConfig config, MeterRegistry meters) {
        this.channel = channel;
        this.clock = clock;
        this.config = config.invocations();
        this.defaultMemory = GuestMemory.defaultBytes(this.config.defaultMemory());
        this.meters =
                new OutcomeMeters<>(meters, Outcome.class, INVOCATIONS, INVOCATION_DURATION, "Synchronous invocations");
        if (this.config.maxStdinBytes() < 0) {
            throw new IllegalArgumentException(
                    "cidra.invocations.max-stdin-bytes must not be negative, not " + this.config.maxStdinBytes());
        }
    }

    /**
     * Validates and publishes a call.
     *
     * @return completes with the reply or {@link NoReply}, or exceptionally with a {@link MessagingException} when
     *     Kafka refused the request
     * @throws InvalidCidException if the CID is malformed
     * @throws InvalidRequestException if a parameter is invalid or stdin is too large (nothing was published)
     */
    public CompletionStage<Result> invoke(Call call) {
        Timer.Sample sample = meters.start();
        InvocationRequest request;
        try {
            request = request(call);
        } catch (RuntimeException e) {
            record(sample, Outcome.INVALID);
            throw e;
        }
        Duration wait = replyWait(request.timeoutMillis());
        CompletableFuture<InvocationReply> reply = channel.call(request);
        return reply.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).handle((replied, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause == null) {
                record(sample, Outcome.of(replied.status()));
                return new Replied(request, replied);
            }
            if (cause instanceof TimeoutException) {
                record(sample, Outcome.NO_REPLY);
                queue(request, call.tenant());
                return new NoReply(request, wait);
            }
            record(sample, Outcome.UNAVAILABLE);
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        });
    }

    private InvocationRequest request(Call call) {
        Cid.parse(call.cid());
        Map<String, String> env = env(call.env());
        if (call.entrypoint() != null && call.entrypoint().isBlank()) {
            throw invalid("entrypoint must not be blank; leave it out for " + InvocationRequest.DEFAULT_ENTRYPOINT);
        }
        Duration timeout = config.defaultTimeout();
        if (call.timeout() != null) {
            timeout = parse(() -> Quantities.duration(call.timeout(), "timeout"));
            if (timeout.compareTo(config.maxTimeout()) > 0) {
                throw invalid("timeout " + call.timeout() + " is above the limit of " + config.maxTimeout());
            }
        }
        long memory = call.memory() == null ? defaultMemory : parse(() -> GuestMemory.bytes(call.memory(), "memory"));
        Deterministic deterministic = deterministic(call);
        byte[] stdin = stdin(call);
        String id = UUID.randomUUID().toString();
        Instant replyBy = clock.instant().plus(replyWait(timeout.toMillis()));
        return new InvocationRequest(
                "j-" + id,
                "e-" + id,
                call.cid(),
                call.entrypoint(),
                call.args(),
                env,
                stdin,
                memory,
                timeout.toMillis(),
                null,
                deterministic,
                replyBy,
                channel.replyPartition());
    }

    /** How long the gateway waits for the reply of a guest run capped at {@code timeoutMillis}. */
    private Duration replyWait(long timeoutMillis) {
        return Duration.ofMillis(timeoutMillis).plus(config.replyWaitSlack());
    }

    /** {@code deterministic=true} with an optional {@code randomSeed}; null when not deterministic. */
    private static Deterministic deterministic(Call call) {
        String flag = call.deterministic();
        if (flag != null && !flag.equals("true") && !flag.equals("false")) {
            throw invalid("deterministic must be true or false, not \"" + flag + "\"");
        }
        boolean on = "true".equals(flag);
        Long seed = null;
        if (call.randomSeed() != null) {
            if (!on) {
                throw invalid("randomSeed seeds a deterministic run only: add deterministic=true");
            }
            try {
                seed = Long.parseLong(call.randomSeed());
            } catch (NumberFormatException e) {
                throw invalid("randomSeed must be a whole number, not \"" + call.randomSeed() + "\"");
            }
        }
        return on ? new Deterministic(seed) : null;
    }

    /** Makes the call a queued job, here at once and on every replica once Kafka has it. */
    private void queue(InvocationRequest request, String tenant) {
        channel.forget(request.jobId());
        channel.publish(JobEvent.queued(request.jobId(), clock.instant(), tenant))
                .exceptionally(e -> {
                    LOG.warnf(
                            "job %s (no reply in time) is known only to this replica: %s",
                            request.jobId(), e.getMessage());
                    return null;
                });
    }

    private Map<String, String> env(List<String> entries) {
        var env = new LinkedHashMap<String, String>();
        for (int i = 0; i < entries.size(); i++) {
            EnvironmentVariables.Fault fault = EnvironmentVariables.put(env, entries.get(i));
            if (fault != null) {
                throw invalid("env[" + i + "] " + EnvironmentVariables.message(entries.get(i), fault));
            }
        }
        return env;
    }

    private byte[] stdin(Call call) {
        int limit = config.maxStdinBytes();
        if (call.declaredLength().isPresent() && call.declaredLength().getAsLong() > limit) {
            throw stdinTooLarge(call.declaredLength().getAsLong() + " bytes", limit);
        }
        if (call.stdin().length > limit) {
            throw stdinTooLarge("more than " + limit + " bytes", limit);
        }
        return call.stdin();
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException(InvalidRequestException.Kind.INVOCATION, message);
    }

    private static InvalidRequestException stdinTooLarge(String size, int limit) {
        return new InvalidRequestException(
                InvalidRequestException.Kind.BODY_TOO_LARGE,
                "the request body (the guest's stdin) has " + size + ", above the limit of " + limit + " bytes");
    }

    private void record(Timer.Sample sample, Outcome outcome) {
        meters.record(sample, outcome);
    }
}
