package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MeterTagTest {
    @Test
    void anEnumConstantIsItsNameInLowerCase() {
        assertEquals("timed_out", MeterTag.of(InvocationReply.Status.TIMED_OUT));
        assertEquals("completed", MeterTag.of(JobEvent.JobState.COMPLETED));
    }
}
