package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.WasmModule.ExternalKind;
import dev.cidra.registry.WasmModule.Import;
import dev.cidra.registry.WasmModule.Limits;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WasmModuleTest {
    private static final String LIB_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    @Test
    void readsImportsExportsAndSignatures() {
        var module = WasmModule.parse(WasmFixtures.load("imports-cid"));
        assertEquals(
                List.of(
                        new Import("wasi_snapshot_preview1", "proc_exit", ExternalKind.FUNCTION),
                        new Import(LIB_CID, "add", ExternalKind.FUNCTION)),
                module.imports());
        assertEquals(Set.of("wasi_snapshot_preview1", LIB_CID), module.importModules());
        assertEquals(
                "() -> ()", module.exportedFunctionType("_start").orElseThrow().toString());
        assertEquals(
                "(i32) -> ()", module.exportedFunctionType("run").orElseThrow().toString());
        assertTrue(module.exportedFunctionType("memory").isEmpty(), "memory is not a function");
        assertTrue(module.exportedFunctionType("nope").isEmpty());
        assertEquals(List.of(new Limits(2, -1)), module.memories());
    }

    /** Fuzzing found these (ParserFuzzTestInputs/wasmModule/huge-param-count, negative-param-count). */
    @Test
    void refusesACountThatCannotFitInsteadOfAllocatingIt() {
        byte[] huge = {
            0, 'a', 's', 'm', 1, 0, 0, 0, 1, 8, 1, 0x60, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7, 0
        };
        var e = assertThrows(InvalidModuleException.class, () -> WasmModule.parse(huge));
        assertTrue(
                e.getMessage().contains("2147483632 value type entries declared, but only 1 bytes are left"),
                e.getMessage());
        byte[] negative = huge.clone();
        negative[16] = 0x0f;
        negative[12] = (byte) 0xff;
        e = assertThrows(InvalidModuleException.class, () -> WasmModule.parse(negative));
        assertTrue(e.getMessage().contains("4294967295 value type entries declared"), e.getMessage());
    }

    @Test
    void aCustomSectionChangesTheBytesButNotTheShape() {
        byte[] lib = WasmFixtures.load("lib");
        byte[] copy = WasmModule.withCustomSection(lib, "cidra-test", new byte[] {1, 2, 3});

        // Appended: id 0, size 14 (name length 1 byte + 10 name bytes + 3 payload bytes), the name, the payload.
        assertTrue(Arrays.equals(lib, Arrays.copyOf(copy, lib.length)));
        byte[] section = Arrays.copyOfRange(copy, lib.length, copy.length);
        assertEquals("[0, 14, 10, 99, 105, 100, 114, 97, 45, 116, 101, 115, 116, 1, 2, 3]", Arrays.toString(section));
        var original = WasmModule.parse(lib);
        var parsed = WasmModule.parse(copy);
        assertEquals(original.imports(), parsed.imports());
        assertEquals(original.exports(), parsed.exports());
    }

    /** Fuzzing found this (ParserFuzzTestInputs/wasmModule/name-length-overflow): the end of a name overflowed. */
    @Test
    void refusesANameWhoseLengthOverflows() {
        byte[] module = {0, 'a', 's', 'm', 1, 0, 0, 0, 2, 6, 1, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7};
        var e = assertThrows(InvalidModuleException.class, () -> WasmModule.parse(module));
        assertTrue(e.getMessage().contains("name of 2147483632 bytes runs past the end"), e.getMessage());
    }

    @Test
    void rejectsBytesThatAreNotWasm() {
        var e = assertThrows(InvalidModuleException.class, () -> WasmModule.parse("#!/bin/sh\necho hi\n".getBytes()));
        assertTrue(e.getMessage().contains("not a WebAssembly module"), e.getMessage());
    }

    @Test
    void rejectsComponents() {
        byte[] component = {0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00};
        var e = assertThrows(InvalidModuleException.class, () -> WasmModule.parse(component));
        assertTrue(e.getMessage().contains("component"), e.getMessage());
    }

    @Test
    void reportsTruncationWithItsOffset() {
        byte[] lib = WasmFixtures.load("lib");
        var e = assertThrows(InvalidModuleException.class, () -> WasmModule.parse(Arrays.copyOf(lib, lib.length - 3)));
        assertTrue(e.getMessage().startsWith("malformed WebAssembly module at byte "), e.getMessage());
    }

    @Test
    void capsMemoriesAndTablesWithoutAMaximum() {
        var module = WasmModule.parse(WasmFixtures.load("memory-unbounded"));
        assertEquals(List.of(new Limits(2, -1)), module.memories());
        var capped = WasmModule.parse(module.withLimits(16, 100));
        assertEquals(List.of(new Limits(2, 16)), capped.memories());
        assertEquals(List.of(new Limits(4, 100)), capped.tables());
    }

    @Test
    void keepsADeclaredMaximumBelowTheCapAndLowersOneAbove() {
        var module = WasmModule.parse(WasmFixtures.load("memory-bounded"));
        assertEquals(
                List.of(new Limits(1, 8)),
                WasmModule.parse(module.withLimits(16, 100)).memories());
        assertEquals(
                List.of(new Limits(1, 4)),
                WasmModule.parse(module.withLimits(4, 100)).memories());
    }

    @Test
    void capsImportedMemories() {
        var module = WasmModule.parse(WasmFixtures.load("memory-imported"));
        var capped = WasmModule.parse(module.withLimits(3, 100));
        assertEquals(List.of(new Limits(1, 3)), capped.memories());
        assertEquals(module.imports(), capped.imports());
    }

    @Test
    void refusesAMemoryWhoseMinimumIsAboveTheCap() {
        var module = WasmModule.parse(WasmFixtures.load("memory-unbounded"));
        var e = assertThrows(InvalidModuleException.class, () -> module.withLimits(1, 100));
        assertEquals(
                "memory 0 needs 2 pages (128 KiB) at start, above the memory limit of 1 pages (64 KiB)",
                e.getMessage());
    }

    @Test
    void leavesEveryOtherSectionUntouched() {
        byte[] original = WasmFixtures.load("imports-cid");
        byte[] capped = WasmModule.parse(original).withLimits(65_536, 1 << 20);
        var before = WasmModule.parse(original);
        var after = WasmModule.parse(capped);
        assertEquals(before.imports(), after.imports());
        assertEquals(before.exports(), after.exports());
        assertEquals(List.of(new Limits(2, 65_536)), after.memories());
        assertEquals(original.length + 3, capped.length, "only the memory limits grow: a 3-byte maximum (65536 pages)");
    }
}
