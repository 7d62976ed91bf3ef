package dev.cidra.executor.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cidra.contract.InvocationRequest;
import dev.cidra.executor.Invocation;
import org.junit.jupiter.api.Test;

/**
 * The constants the contract and the engine each define, because neither depends on the other, and which this
 * service, depending on both, maps one to one.
 */
class ContractMappingTest {
    @Test
    void aRequestWithoutEntrypointRunsTheEnginesDefault() {
        assertEquals(Invocation.DEFAULT_ENTRYPOINT, InvocationRequest.DEFAULT_ENTRYPOINT);
        assertEquals(
                Invocation.DEFAULT_ENTRYPOINT,
                new InvocationRequest("j-1", "e-1", "bafkqaaa", null, null, null, null, 1L << 20, 1_000, null)
                        .entrypoint());
    }
}
