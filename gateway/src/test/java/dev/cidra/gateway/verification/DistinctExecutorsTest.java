package dev.cidra.gateway.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cidra.contract.JobRequest;
import dev.cidra.contract.NodeInfo;
import dev.cidra.gateway.nodes.NodeView;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which live executors the executions of a job go to. */
class DistinctExecutorsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final JobRequest JOB = new JobRequest(
            "j-1",
            "e-1",
            NOW,
            "bafkreia",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            1 << 20,
            1_000,
            0,
            null,
            null,
            null,
            null,
            null);

    private final NodeView nodes = new NodeView(Clock.fixed(NOW, ZoneOffset.UTC));
    private final DistinctExecutors executors = new DistinctExecutors(nodes);

    private void announce(String id, int running, List<String> provided, Instant heartbeat) {
        nodes.announced(new NodeInfo(
                id,
                "1",
                "GraalVM CE",
                "COMPILED",
                null,
                null,
                provided,
                2,
                running,
                NOW,
                heartbeat,
                1_000,
                null,
                null));
    }

    @Test
    void countTwoWithOneLiveExecutorFailsNamingIt() {
        announce("a", 0, List.of(), NOW);
        announce("gone", 0, List.of(), NOW.minusSeconds(60)); // missed its heartbeats

        var e = assertThrows(NotEnoughExecutorsException.class, () -> executors.pick(JOB, 2, Set.of(), "Count 2"));

        assertEquals("Count 2 needs 2 distinct live executors that can run the job; 1 is live (a)", e.getMessage());
    }

    @Test
    void theLeastBusyDistinctExecutorsArePicked() {
        announce("a", 2, List.of(), NOW);
        announce("b", 0, List.of(), NOW);
        announce("c", 1, List.of(), NOW);

        assertEquals(List.of("b", "c"), executors.pick(JOB, 2, Set.of(), "Count 2"));
    }

    @Test
    void executorsThatRanTheJobOrProvideOnlyOtherModulesAreNotPicked() {
        announce("a", 0, List.of(), NOW);
        announce("p", 0, List.of("bafkreiother"), NOW);

        var e = assertThrows(
                NotEnoughExecutorsException.class, () -> executors.pick(JOB, 1, Set.of("a"), "verifying job j-1"));

        assertEquals(
                "verifying job j-1 needs 1 distinct live executor that can run the job; 2 are live (a, p), of which a"
                        + " ran it before",
                e.getMessage());
    }
}
