package dev.cidra.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * An asynchronous job, as published on {@link Topics#JOBS} keyed by the entry module's CID. The gateway assigns the
 * job id, the execution id and the submission time; a redelivered request carries the same three, which is what makes
 * its effects exactly-once. Immutable once built.
 *
 * @param jobId the job's id
 * @param executionId this execution's id; results and events are deduplicated by it
 * @param submittedAt when the job was accepted; the publisher's {@code {date}} and {@code {time}} come from it, so a
 *     rerun of the execution writes to the same key
 * @param moduleCid the entry module's CID as text; null exactly when {@code modules} has an entry source
 * @param entrypoint the exported function to call; null means {@link InvocationRequest#DEFAULT_ENTRYPOINT}
 * @param args guest arguments after argv[0]; null means none
 * @param env the guest's whole environment; null means empty
 * @param importModules import module name to the CID linked for it; null means none (CID-named imports need no entry)
 * @param inputs data mounted before the guest starts; null means none. Targets are distinct
 * @param resultPaths directories published after the guest ends; null or empty means {@link ResultPath#OUTPUTS}
 * @param publisher where the result goes; null means nowhere (the job's events still carry stdout/stderr excerpts)
 * @param memoryBytes the memory cap, as in {@link InvocationRequest}
 * @param timeoutMillis the wall-clock cap of the guest's run in milliseconds, positive
 * @param diskBytes the cap on the bytes the job's inputs and results may take on the executor's disk; 0 means the
 *     executor's default
 * @param tenant the tenant the job belongs to, whose grants decide which S3 locations it may read and write; null
 *     means {@link ApiKey#DEFAULT_TENANT}
 * @param deterministic how to run it deterministically; null runs it with live entropy
 * @param modules modules fetched from input sources, beside {@code moduleCid} and {@code importModules}; null means
 *     none
 * @param labels the spec's {@code Labels} (job lists filter by them); null means none
 * @param meta the spec's {@code Meta}, kept and returned with the job; null means none
 * @param queueTimeoutMillis the spec's {@code Timeouts.QueueTimeout}: an execution that has not started this long
 *     after {@code submittedAt} fails without running; 0 means no bound
 * @param totalTimeoutMillis the spec's {@code Timeouts.TotalTimeout}: the bound on queueing and running together,
 *     from {@code submittedAt}; 0 means no bound
 */
public record JobRequest(
        String jobId,
        String executionId,
        Instant submittedAt,
        String moduleCid,
        String entrypoint,
        List<String> args,
        Map<String, String> env,
        Map<String, String> importModules,
        List<InputSource> inputs,
        List<ResultPath> resultPaths,
        Publisher publisher,
        long memoryBytes,
        long timeoutMillis,
        long diskBytes,
        String tenant,
        Deterministic deterministic,
        ModuleSources modules,
        Map<String, String> labels,
        Map<String, String> meta,
        long queueTimeoutMillis,
        long totalTimeoutMillis) {

    /**
     * @throws IllegalArgumentException naming the field and the rule it breaks
     */
    public JobRequest {
        Require.nonBlank(jobId, "jobId");
        Require.nonBlank(executionId, "executionId");
        if (submittedAt == null) {
            throw new IllegalArgumentException("submittedAt must be set, not null");
        }
        if (modules != null && modules.entry() != null) {
            if (moduleCid != null) {
                throw new IllegalArgumentException("moduleCid and an entry module source are both set; give one");
            }
        } else {
            Require.nonBlank(moduleCid, "moduleCid");
        }
        entrypoint =
                entrypoint == null ? InvocationRequest.DEFAULT_ENTRYPOINT : Require.nonBlank(entrypoint, "entrypoint");
        args = Require.strings(args, "args");
        env = Require.env(env);
        importModules = Require.params(importModules, "importModules", List.of(), null);
        labels = Require.params(labels, "labels", List.of(), null);
        meta = Require.params(meta, "meta", List.of(), null);
        inputs = inputs == null ? List.of() : Require.noNulls(inputs, "inputs");
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).target() == null) {
                throw new IllegalArgumentException("inputs[" + i + "] needs a target to be mounted at");
            }
        }
        resultPaths = resultPaths == null || resultPaths.isEmpty()
                ? List.of(ResultPath.OUTPUTS)
                : Require.noNulls(resultPaths, "resultPaths");
        Require.memory(memoryBytes);
        Require.atLeast(timeoutMillis, 1, "timeoutMillis");
        Require.atLeast(diskBytes, 0, "diskBytes");
        Require.atLeast(queueTimeoutMillis, 0, "queueTimeoutMillis");
        Require.atLeast(totalTimeoutMillis, 0, "totalTimeoutMillis");
        if (tenant != null) {
            ApiKey.tenant(tenant);
        }
        var mounts = new ArrayList<String>();
        inputs.forEach(input -> mounts.add(input.target()));
        resultPaths.forEach(path -> mounts.add(path.path()));
        for (int i = 0; i < mounts.size(); i++) {
            for (int j = i + 1; j < mounts.size(); j++) {
                if (nested(mounts.get(i), mounts.get(j))) {
                    throw new IllegalArgumentException("mount " + mounts.get(i) + " and mount " + mounts.get(j)
                            + " overlap; input targets and result paths must be distinct, unnested directories");
                }
            }
        }
        var names = new HashSet<String>();
        for (ResultPath path : resultPaths) {
            if (!names.add(path.name())) {
                throw new IllegalArgumentException("result path name \"" + path.name() + "\" is used twice");
            }
        }
    }

    /** A job of no tenant (see {@link #tenant()}), run with live entropy. */
    public JobRequest(
            String jobId,
            String executionId,
            Instant submittedAt,
            String moduleCid,
            String entrypoint,
            List<String> args,
            Map<String, String> env,
            Map<String, String> importModules,
            List<InputSource> inputs,
            List<ResultPath> resultPaths,
            Publisher publisher,
            long memoryBytes,
            long timeoutMillis,
            long diskBytes) {
        this(
                jobId,
                executionId,
                submittedAt,
                moduleCid,
                entrypoint,
                args,
                env,
                importModules,
                inputs,
                resultPaths,
                publisher,
                memoryBytes,
                timeoutMillis,
                diskBytes,
                null,
                null,
                null,
                null,
                null);
    }

    /** A job of no queue or total timeout. */
    public JobRequest(
            String jobId,
            String executionId,
            Instant submittedAt,
            String moduleCid,
            String entrypoint,
            List<String> args,
            Map<String, String> env,
            Map<String, String> importModules,
            List<InputSource> inputs,
            List<ResultPath> resultPaths,
            Publisher publisher,
            long memoryBytes,
            long timeoutMillis,
            long diskBytes,
            String tenant,
            Deterministic deterministic,
            ModuleSources modules,
            Map<String, String> labels,
            Map<String, String> meta) {
        this(
                jobId,
                executionId,
                submittedAt,
                moduleCid,
                entrypoint,
                args,
                env,
                importModules,
                inputs,
                resultPaths,
                publisher,
                memoryBytes,
                timeoutMillis,
                diskBytes,
                tenant,
                deterministic,
                modules,
                labels,
                meta,
                0,
                0);
    }

    /** This job, belonging to {@code owner}. */
    public JobRequest ownedBy(String owner) {
        return new JobRequest(
                jobId,
                executionId,
                submittedAt,
                moduleCid,
                entrypoint,
                args,
                env,
                importModules,
                inputs,
                resultPaths,
                publisher,
                memoryBytes,
                timeoutMillis,
                diskBytes,
                owner,
                deterministic,
                modules,
                labels,
                meta,
                queueTimeoutMillis,
                totalTimeoutMillis);
    }

    /**
     * This job as another execution: of the same job ({@code jobId} unchanged, a re-execution check's second run), or
     * of a new one (a {@code verify} run), everything but the ids and the submission time the same.
     */
    public JobRequest execution(String jobId, String executionId, Instant submittedAt) {
        return new JobRequest(
                jobId,
                executionId,
                submittedAt,
                moduleCid,
                entrypoint,
                args,
                env,
                importModules,
                inputs,
                resultPaths,
                publisher,
                memoryBytes,
                timeoutMillis,
                diskBytes,
                tenant,
                deterministic,
                modules,
                labels,
                meta);
    }

    /**
     * The Kafka key of the job's record: the entry module's CID, or the entry source's description when it is fetched
     * from one (jobs of one source land on one partition, where its linked module is likely cached).
     */
    public String moduleKey() {
        if (moduleCid != null) {
            return moduleCid;
        }
        InputSource entry = modules.entry();
        return entry.type() + ":" + new java.util.TreeMap<>(entry.params());
    }

    private static boolean nested(String a, String b) {
        return a.equals(b) || a.equals("/") || b.equals("/") || a.startsWith(b + "/") || b.startsWith(a + "/");
    }
}
