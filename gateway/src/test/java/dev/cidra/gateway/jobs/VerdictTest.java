package dev.cidra.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.contract.JobEvent;
import dev.cidra.contract.JobEvent.JobState;
import dev.cidra.contract.JobRequest;
import dev.cidra.contract.PublishedResult;
import dev.cidra.contract.Publisher;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job of {@code Count} executions folded from its events: it ends with its last execution, with the verdict. */
class VerdictTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final String CID_A = "bafybeidu2yewc4fbbvwcdzkydepe3ru3bdbohj5mwrxibx6bmnvblogqku";
    private static final String CID_B = "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    private static JobStatus queued(int count) {
        var request = new JobRequest(
                "j-1",
                "e-1",
                T,
                "bafkreia",
                null,
                null,
                null,
                null,
                null,
                null,
                new Publisher(Publisher.LOCAL, Map.of()),
                1 << 20,
                1_000,
                0,
                "default",
                null,
                null,
                null,
                null);
        return JobStatus.apply(null, JobEvent.queued(request, count));
    }

    private static JobEvent ended(String execution, String node, JobState state, String cid) {
        return new JobEvent(
                "j-1",
                execution,
                node,
                state,
                T.plusSeconds(1),
                state == JobState.COMPLETED ? 0 : 1,
                "",
                "",
                false,
                false,
                state == JobState.FAILED ? (cid == null ? "input 1: missing" : "exited with code 1") : null,
                cid == null
                        ? null
                        : new PublishedResult(Publisher.LOCAL, null, null, null, null, null, null, "u", cid));
    }

    @Test
    void theJobRunsUntilItsLastExecutionEndsThenIsVerifiedWhenTheCidsAgree() {
        JobStatus job = JobStatus.apply(queued(2), ended("e-1-1", "a", JobState.COMPLETED, CID_A));
        assertEquals(JobStatus.State.RUNNING, job.state());
        assertNull(job.verified());
        assertNull(job.result());

        job = JobStatus.apply(job, ended("e-1-2", "b", JobState.COMPLETED, CID_A));

        assertEquals(JobStatus.State.COMPLETED, job.state());
        assertEquals(true, job.verified());
        assertEquals(CID_A, job.result().cid());
        assertEquals(2, job.count());
        assertEquals("the 2 executions (on a, b) published the same result, " + CID_A, job.verdict());
    }

    @Test
    void differentCidsFailTheJobNamingEachExecutionsCid() {
        JobStatus job = JobStatus.apply(queued(2), ended("e-1-1", "a", JobState.COMPLETED, CID_A));
        job = JobStatus.apply(job, ended("e-1-2", "b", JobState.COMPLETED, CID_B));

        assertEquals(JobStatus.State.FAILED, job.state());
        assertEquals(false, job.verified());
        assertEquals(
                "the executions disagree: e-1-1 on a published " + CID_A + "; e-1-2 on b published " + CID_B,
                job.verdict());
        assertEquals(CID_B, job.executions().get(1).result().cid(), "each execution's result is kept");
    }

    @Test
    void anExecutionThatPublishedNothingFailsTheCheck() {
        JobStatus job = JobStatus.apply(queued(2), ended("e-1-1", "a", JobState.COMPLETED, CID_A));
        job = JobStatus.apply(job, ended("e-1-2", "b", JobState.FAILED, null));

        assertEquals(JobStatus.State.FAILED, job.state());
        assertEquals(false, job.verified());
        assertTrue(job.verdict().endsWith("e-1-2 on b published no result (input 1: missing)"), job.verdict());
    }

    @Test
    void executionsThatFailedAlikeAgreeButTheJobFails() {
        JobStatus job = JobStatus.apply(queued(2), ended("e-1-1", "a", JobState.FAILED, CID_A));
        job = JobStatus.apply(job, ended("e-1-2", "b", JobState.FAILED, CID_A));

        assertEquals(JobStatus.State.FAILED, job.state());
        assertEquals(true, job.verified());
    }

    @Test
    void aJobThatRunsOnceHasNoVerdict() {
        JobStatus job = JobStatus.apply(queued(1), ended("e-1", "a", JobState.COMPLETED, CID_A));

        assertEquals(JobStatus.State.COMPLETED, job.state());
        assertNull(job.count());
        assertNull(job.verified());
        assertNull(job.verdict());
    }
}
