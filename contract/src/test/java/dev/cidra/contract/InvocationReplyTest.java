package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cidra.contract.InvocationReply.Status;
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
        assertEquals("status must be one of EXITED, TRAPPED, TIMED_OUT, REJECTED, not null", e.getMessage());
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
}
