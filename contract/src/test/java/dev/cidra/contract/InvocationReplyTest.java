package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cidra.contract.InvocationReply.Status;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InvocationReplyTest {
    private static final byte[] EMPTY = new byte[0];

    private static InvocationReply reply(Status status, String error, long durationMicros) {
        return new InvocationReply("job", "exec", "node", status, 0, EMPTY, EMPTY, false, false, error, durationMicros);
    }

    @Test
    void exitedHasNoErrorAndOthersHaveOne() {
        assertEquals(Status.EXITED, reply(Status.EXITED, null, 0).status());
        assertEquals("trap", reply(Status.TRAPPED, "trap", 5).error());
        var e = assertThrows(IllegalArgumentException.class, () -> reply(Status.EXITED, "oops", 0));
        assertEquals("error must be null for status EXITED, not \"oops\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> reply(Status.TIMED_OUT, null, 0));
        assertEquals("error must explain status TIMED_OUT, not be null", e.getMessage());
    }

    @Test
    void missingFieldsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> reply(null, null, 0));
        assertEquals(
                "status must be one of EXITED, TRAPPED, TIMED_OUT, REJECTED, UNDELIVERABLE, EXPIRED, not null",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationReply("job", "exec", "", Status.EXITED, 0, EMPTY, EMPTY, false, false, null, 0));
        assertEquals("nodeId must be a non-blank string, not \"\"", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new InvocationReply("job", "exec", "n", Status.EXITED, 0, EMPTY, null, false, false, null, 0));
        assertEquals("stderr must not be null", e.getMessage());
    }

    @Test
    void negativeDurationIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> reply(Status.EXITED, null, -1));
        assertEquals("durationMicros must be at least 0, not -1", e.getMessage());
    }

    @Test
    void anUndeliverableStandInKeepsHowTheRunEndedButNotItsOutput() {
        var trapped = new InvocationReply(
                "job", "exec", "node", Status.TRAPPED, 134, new byte[5], new byte[3], true, false, "unreachable", 42);
        var standIn = trapped.undeliverable("too large");
        assertEquals(Status.UNDELIVERABLE, standIn.status());
        assertEquals(134, standIn.exitCode());
        assertEquals(42, standIn.durationMicros());
        assertEquals(0, standIn.stdout().length + standIn.stderr().length);
        assertEquals(
                "TRAPPED: unreachable; its reply (5 bytes of stdout, 3 bytes of stderr) could not be delivered: too"
                        + " large",
                standIn.error());
        assertEquals(
                "the guest exited with code 0; its reply (0 bytes of stdout, 0 bytes of stderr) could not be"
                        + " delivered: x",
                reply(Status.EXITED, null, 0).undeliverable("x").error());
    }

    @Test
    void anExpiredReplySaysHowLateTheRequestWasTakenAndRunsNothing() {
        Instant replyBy = Instant.parse("2026-12-02T12:00:00Z");
        var request = new InvocationRequest(
                "job", "exec", "bafy", null, null, null, null, 65_536, 3000, null, null, replyBy, null);
        var expired = InvocationReply.expired(request, "node", replyBy.plusMillis(1500));
        assertEquals(Status.EXPIRED, expired.status());
        assertEquals("exec", expired.executionId());
        assertEquals(InvocationReply.EXPIRED_EXIT_CODE, expired.exitCode());
        assertEquals(0, expired.stdout().length + expired.stderr().length + expired.durationMicros());
        assertEquals(
                "not run: taken at 2026-12-02T12:00:01.500Z, 1500 ms after its caller stopped waiting"
                        + " (2026-12-02T12:00:00Z)",
                expired.error());
    }

    @Test
    void aRequestWithoutReplyByCannotExpire() {
        var request = new InvocationRequest("job", null, "bafy", null, null, null, null, 65_536, 3000, null);
        var e = assertThrows(
                IllegalArgumentException.class, () -> InvocationReply.expired(request, "node", Instant.EPOCH));
        assertEquals("request job has no replyBy to expire", e.getMessage());
    }
}
