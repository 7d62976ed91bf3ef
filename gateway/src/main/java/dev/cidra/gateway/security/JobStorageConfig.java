package dev.cidra.gateway.security;

import io.smallrye.config.ConfigMapping;

/** The keys {@code cidra.job-storage.*} of {@link dev.cidra.contract.JobStorageConfig}, as this service maps them. */
@ConfigMapping(prefix = "cidra.job-storage")
public interface JobStorageConfig extends dev.cidra.contract.JobStorageConfig {}
