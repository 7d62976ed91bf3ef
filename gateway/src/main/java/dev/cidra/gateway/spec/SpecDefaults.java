package dev.cidra.gateway.spec;

import dev.cidra.gateway.config.GatewayConfig;
import java.time.Duration;

/**
 * What a job spec or a trigger gets when it leaves memory or its timeout out, and the longest timeout it may ask for:
 * the same for both, from {@code cidra.invocations.default-memory} and {@code cidra.jobs.*-execution-timeout}.
 *
 * @param memoryBytes the guest memory when none is given
 * @param timeout the execution timeout when none is given
 * @param maxTimeout the longest execution timeout accepted
 */
record SpecDefaults(long memoryBytes, Duration timeout, Duration maxTimeout) {
    /** @throws IllegalArgumentException if the default memory is out of {@link GuestMemory}'s bounds */
    static SpecDefaults of(GatewayConfig config) {
        return new SpecDefaults(
                GuestMemory.defaultBytes(config.invocations().defaultMemory()),
                config.jobs().defaultExecutionTimeout(),
                config.jobs().maxExecutionTimeout());
    }
}
