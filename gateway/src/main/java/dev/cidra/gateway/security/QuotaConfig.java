package dev.cidra.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalDouble;

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
}
