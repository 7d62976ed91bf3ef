package dev.cidra.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cidra.contract.InvocationReply;
import dev.cidra.contract.MeterTag;
import dev.cidra.gateway.service.InvocationService.Outcome;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reply's statuses and the gateway's call outcomes are two enums; this fails when they drift apart. */
class OutcomeTest {
    @ParameterizedTest
    @EnumSource(InvocationReply.Status.class)
    void everyReplyStatusIsTheOutcomeOfTheSameNameAndTag(InvocationReply.Status status) {
        assertEquals(status.name(), Outcome.of(status).name());
        assertEquals(MeterTag.of(status), MeterTag.of(Outcome.of(status)));
    }

    @Test
    void theOtherOutcomesAreCallsWithoutAReply() {
        var statuses =
                Arrays.stream(InvocationReply.Status.values()).map(Enum::name).toList();
        var others = Arrays.stream(Outcome.values())
                .map(Enum::name)
                .filter(name -> !statuses.contains(name))
                .toList();
        assertEquals(List.of("NO_REPLY", "INVALID", "UNAVAILABLE"), others);
    }
}
