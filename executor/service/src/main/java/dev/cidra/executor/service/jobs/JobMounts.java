package dev.cidra.executor.service.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.RecordTracing;
import dev.cidra.contract.ResultPath;
import dev.cidra.executor.Mount;
import dev.cidra.executor.service.execution.DiskBudget;
import dev.cidra.executor.service.health.S3Outage;
import dev.cidra.executor.service.inputs.InputException;
import dev.cidra.executor.service.inputs.InputFetcher;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out an execution's work directory before its guest runs: the fetch step (the job's inputs downloaded into it,
 * in a {@code cidra.fetch} span, each mounted read-only) and the mount step (an empty writable directory per
 * {@link ResultPath}, mounted at the path). Thread-safe.
 */
@Singleton
class JobMounts {
    private final InputFetcher inputs;
    private final RecordTracing tracing;
    private final Ticker ticker;

    JobMounts(InputFetcher inputs, RecordTracing tracing, Ticker ticker) {
        this.inputs = inputs;
        this.tracing = tracing;
        this.ticker = ticker;
    }

    /**
     * The guest's mounts, inputs first.
     *
     * @param results each result path's name and the host directory mounted for it, in the job's order
     * @param inputFetch how long fetching the inputs took
     */
    record Laid(List<Mount> mounts, Map<String, Path> results, Duration inputFetch) {}

    /**
     * @param budget charged with the inputs' bytes
     * @throws JobFailed if an input cannot be fetched or mounted, or a result directory cannot be made or mounted
     * @throws IllegalStateException if an input cannot be fetched because S3 is down ({@link S3Outage#isOutage}): a
     *     failure of the infrastructure, so the execution is attempted again
     */
    Laid lay(JobRequest job, Path dir, DiskBudget budget) throws JobFailed {
        long fetching = ticker.read();
        var mounts = new ArrayList<>(fetch(job, dir, budget));
        var inputFetch = Duration.ofNanos(ticker.read() - fetching);
        var results = new LinkedHashMap<String, Path>();
        mounts.addAll(mountResults(job, dir, results));
        return new Laid(mounts, results, inputFetch);
    }

    private List<Mount> fetch(JobRequest job, Path dir, DiskBudget budget) throws JobFailed {
        try (var step = tracing.step("cidra.fetch")) {
            try {
                return inputs.fetch(job.tenant(), job.inputs(), dir, budget);
            } catch (InputException e) {
                step.fail(e);
                if (S3Outage.isOutage(e)) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                throw new JobFailed(e.getMessage());
            } catch (IllegalArgumentException e) {
                // IllegalArgumentException: a mount the engine refuses. The job can never run; failing it (rather
                // than letting the record be consumed again) keeps its partition moving.
                step.fail(e);
                throw new JobFailed(e.getMessage());
            }
        }
    }

    private static List<Mount> mountResults(JobRequest job, Path dir, Map<String, Path> results) throws JobFailed {
        var mounts = new ArrayList<Mount>();
        for (int i = 0; i < job.resultPaths().size(); i++) {
            ResultPath path = job.resultPaths().get(i);
            Path host = dir.resolve("results").resolve(Integer.toString(i));
            try {
                Files.createDirectories(host);
            } catch (IOException e) {
                throw new JobFailed("cannot create the directory of result path " + path.name() + ": " + e);
            }
            try {
                mounts.add(new Mount(host, path.path(), true));
            } catch (IllegalArgumentException e) {
                throw new JobFailed("result path " + path.name() + ": " + e.getMessage());
            }
            results.put(path.name(), host);
        }
        return mounts;
    }
}
