package dev.cidra.executor.service.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.executor.InvocationResult;
import dev.cidra.executor.ModuleRef;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidCidException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuestRunTest {
    private static final Cid ENTRY = Cid.rawOf("entry".getBytes(StandardCharsets.UTF_8));
    private static final Cid LIBRARY = Cid.rawOf("library".getBytes(StandardCharsets.UTF_8));

    @Test
    void modulesAreParsedFromTheirCidsAndImportsKeepTheirOrder() {
        var imports = new LinkedHashMap<String, String>();
        imports.put("z", LIBRARY.toString());
        imports.put("a", ENTRY.toString());

        var modules = GuestRun.Modules.parse(ENTRY.toString(), imports);

        assertEquals(ModuleRef.of(ENTRY), modules.entry());
        assertEquals(List.of("z", "a"), List.copyOf(modules.imports().keySet()));
        assertEquals(ModuleRef.of(LIBRARY), modules.imports().get("z"));
    }

    @Test
    void aCidThatDoesNotParseIsRefusedWhetherEntryOrImport() {
        var entry = assertThrows(InvalidCidException.class, () -> GuestRun.Modules.parse("bafynotacid", Map.of()));
        assertTrue(entry.getMessage().contains("bafynotacid"), entry.getMessage());
        var imported = assertThrows(
                InvalidCidException.class, () -> GuestRun.Modules.parse(ENTRY.toString(), Map.of("lib", "Qmnope")));
        assertTrue(imported.getMessage().contains("Qmnope"), imported.getMessage());
    }

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of(InvocationResult.Status.EXITED, 0, null, null),
                Arguments.of(InvocationResult.Status.EXITED, 3, null, "the guest exited with code 3"),
                Arguments.of(InvocationResult.Status.TRAPPED, 134, "unreachable", "unreachable"),
                Arguments.of(InvocationResult.Status.TIMED_OUT, 124, "ran past 1s", "ran past 1s"),
                Arguments.of(InvocationResult.Status.REJECTED, 125, "no such module", "no such module"),
                Arguments.of(InvocationResult.Status.TRAPPED, 134, null, "TRAPPED"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("outcomes")
    void aRunFailsUnlessItsGuestExitedWithZero(
            InvocationResult.Status status, int exitCode, String error, String failure) {
        var result = new InvocationResult(
                status,
                exitCode,
                error,
                new byte[0],
                false,
                new byte[0],
                false,
                ENTRY.toString(),
                Duration.ofMillis(5),
                new InvocationResult.Timing(Duration.ZERO, Duration.ZERO, Duration.ofMillis(5)));
        assertEquals(failure, GuestRun.failure(result));
    }
}
