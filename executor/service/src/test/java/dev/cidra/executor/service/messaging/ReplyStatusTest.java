package dev.cidra.executor.service.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cidra.contract.InvocationReply;
import dev.cidra.executor.InvocationResult;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine's statuses and the reply's are two enums; this fails when they drift apart. */
class ReplyStatusTest {
    @ParameterizedTest
    @EnumSource(value = InvocationResult.Status.class, names = "STOPPED", mode = EnumSource.Mode.EXCLUDE)
    void everyEngineStatusIsTheReplyStatusOfTheSameName(InvocationResult.Status status) {
        assertEquals(status.name(), RequestRunner.status(status).name());
    }

    @Test
    void aStoppedRunHasNoReplyStatus() {
        assertThrows(IllegalArgumentException.class, () -> RequestRunner.status(InvocationResult.Status.STOPPED));
    }

    /**
     * But UNDELIVERABLE and EXPIRED, which are the executor's about a reply Kafka refused and a request it did not run,
     * not outcomes of a run.
     */
    @Test
    void everyReplyStatusIsAnEngineStatus() {
        var reached = EnumSet.noneOf(InvocationReply.Status.class);
        Arrays.stream(InvocationResult.Status.values())
                .filter(status -> status != InvocationResult.Status.STOPPED)
                .map(RequestRunner::status)
                .forEach(reached::add);
        assertEquals(
                EnumSet.complementOf(EnumSet.of(InvocationReply.Status.UNDELIVERABLE, InvocationReply.Status.EXPIRED)),
                reached);
    }
}
