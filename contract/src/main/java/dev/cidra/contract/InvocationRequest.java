package dev.cidra.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request to run a module, as published on {@link Topics#INVOCATIONS}. Immutable once built: collections are
 * copied, and {@link #stdin()} must not be modified by whoever reads it.
 *
 * @param jobId the caller's id of the job; a job may run more than once (retries), each run an execution
 * @param executionId identifies this run of the job; replies and effects are deduplicated by it. May be null, meaning
 *     the job's only execution, in which case {@link #executionKey()} is the job id
 * @param moduleCid the entry module's CID as text (parsed and verified by the executor)
 * @param entrypoint the exported function to call; null means {@link #DEFAULT_ENTRYPOINT}
 * @param args guest arguments after argv[0]; null means none
 * @param env the guest's whole environment; null means empty. Names are non-empty and contain no {@code '='}
 * @param stdin the guest's stdin; null means empty
 * @param memoryBytes the memory cap, {@value #MIN_MEMORY_BYTES} to {@value #MAX_MEMORY_BYTES} bytes
 * @param timeoutMillis the wall-clock cap in milliseconds, positive
 * @param replyTo the topic for the reply (synchronous calls); null means {@link Topics#REPLIES}
 * @param deterministic how to run it deterministically; null runs it with live entropy
 * @param replyBy when the caller stops waiting for the reply (a synchronous call's end of wait); an executor taking the
 *     request later does not run it and replies {@link InvocationReply.Status#EXPIRED} at once. Null: the caller waits
 *     however long it takes. Compared with the executor's clock, so it assumes clocks in step to well under a second
 * @param replyPartition the partition of the reply topic the reply goes to: the one the waiting gateway replica reads
 *     (see RATIONALE.md, "Why does each gateway replica read only its own reply partition, but every job event?"); null lets the
 *     executor's producer pick it from the reply's key
 */
public record InvocationRequest(
        String jobId,
        String executionId,
        String moduleCid,
        String entrypoint,
        List<String> args,
        Map<String, String> env,
        byte[] stdin,
        long memoryBytes,
        long timeoutMillis,
        String replyTo,
        Deterministic deterministic,
        Instant replyBy,
        Integer replyPartition) {

    /**
     * The entrypoint WASI commands export. The engine, which does not depend on the contract, defines it too
     * ({@code dev.cidra.executor.Invocation.DEFAULT_ENTRYPOINT}); the executor's {@code ContractMappingTest} fails if
     * they differ.
     */
    public static final String DEFAULT_ENTRYPOINT = "_start";

    /** One 64 KiB wasm page. */
    public static final long MIN_MEMORY_BYTES = 65_536;

    /** 4 GiB, all a 32-bit memory can address. */
    public static final long MAX_MEMORY_BYTES = 4L << 30;

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public InvocationRequest {
        Require.nonBlank(jobId, "jobId");
        if (executionId != null) {
            Require.nonBlank(executionId, "executionId");
        }
        Require.nonBlank(moduleCid, "moduleCid");
        entrypoint = entrypoint == null ? DEFAULT_ENTRYPOINT : Require.nonBlank(entrypoint, "entrypoint");
        args = Require.strings(args, "args");
        env = Require.env(env);
        stdin = stdin == null ? new byte[0] : stdin;
        Require.memory(memoryBytes);
        Require.atLeast(timeoutMillis, 1, "timeoutMillis");
        if (replyTo != null) {
            Topics.requireValidName(replyTo, "replyTo");
        }
        if (replyPartition != null) {
            Require.atLeast(replyPartition, 0, "replyPartition");
        }
    }

    /** A request run with live entropy, its caller waiting however long it takes. */
    public InvocationRequest(
            String jobId,
            String executionId,
            String moduleCid,
            String entrypoint,
            List<String> args,
            Map<String, String> env,
            byte[] stdin,
            long memoryBytes,
            long timeoutMillis,
            String replyTo) {
        this(
                jobId,
                executionId,
                moduleCid,
                entrypoint,
                args,
                env,
                stdin,
                memoryBytes,
                timeoutMillis,
                replyTo,
                null,
                null,
                null);
    }

    /** Whether the caller has stopped waiting at {@code now}: a {@link #replyBy} is set and {@code now} is after it. */
    public boolean expiredAt(Instant now) {
        return replyBy != null && now.isAfter(replyBy);
    }

    /** The execution id, or the job id when the request has none: what replies and deduplication use. */
    public String executionKey() {
        return executionId == null ? jobId : executionId;
    }

    /** The topic the reply goes to. */
    public String replyTopic() {
        return replyTo == null ? Topics.REPLIES : replyTo;
    }
}
