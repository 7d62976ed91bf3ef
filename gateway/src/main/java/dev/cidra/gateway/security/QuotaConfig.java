package dev.cidra.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Limits per tenant and per job, under the prefix {@code cidra.quotas}; a job over one is refused at submission. */
@ConfigMapping(prefix = "cidra.quotas")
public interface QuotaConfig {
    /**
     * {@code cidra.quotas.submissions-per-second}: how many jobs ({@code POST /v1/jobs}) one tenant may submit per
     * second on one gateway replica, on average; more is a 429 with {@code Retry-After}. Unset: no limit.
     */
    OptionalDouble submissionsPerSecond();

    /**
     * {@code cidra.quotas.submission-burst}: how many submissions a tenant that submitted nothing for a while may make
     * at once, above the rate.
     */
    @WithDefault("20")
    int submissionBurst();

    /**
     * {@code cidra.quotas.max-disk-bytes}: the most disk ({@code Resources.Disk}: downloaded inputs plus the result)
     * one job may ask for, in bytes (1 GiB); more is a 400. The executors cap every job at their own
     * {@code cidra.jobs.max-disk-bytes} too.
     */
    @WithDefault("1073741824")
    long maxDiskBytes();

    /**
     * {@code cidra.quotas.concurrent-jobs}: how many unfinished jobs (queued, running or publishing) one tenant may have
     * at once, as this replica's view of the job events counts them; one more is refused (a 429, or a dead letter for
     * a Kafka submission). Replicas count alike but independently, so submissions racing on several replicas may pass
     * it by a few. Unset: no limit.
     */
    OptionalInt concurrentJobs();

    /**
     * {@code cidra.quotas.result-bytes}: how many bytes of results the platform may keep for one tenant (the archives
     * of its {@code local} results, until they expire after the executors' {@code cidra.jobs.results-retention}), as
     * this replica's view of the job events counts them; a tenant at or above it is refused its next job (a 429 whose
     * {@code Retry-After} says when its first result expires, or a dead letter for a Kafka submission). A job's result
     * is not known before it ran, so the last job admitted may take a tenant past the quota by one result. Results in
     * the tenant's own buckets are bounded by those buckets, not here. Unset: no limit, unless the tenant has its own.
     */
    OptionalLong resultBytes();

    /** {@code cidra.quotas.tenants."<tenant>".*}: quotas of one tenant in place of the defaults above. */
    Map<String, Tenant> tenants();

    /** The quotas of one tenant. */
    interface Tenant {
        /** {@code cidra.quotas.tenants."<tenant>".result-bytes}: this tenant's {@link #resultBytes()}. */
        OptionalLong resultBytes();
    }

    /** The {@link #resultBytes()} quota of {@code tenant}: its own if it has one, else the default. */
    default OptionalLong resultBytes(String tenant) {
        Tenant own = tenants().get(tenant);
        return own != null && own.resultBytes().isPresent() ? own.resultBytes() : resultBytes();
    }
}
