package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fuzz targets for the registry's parsers of untrusted bytes: CID text and binary forms, multibase, dag-pb/UnixFS blocks
 * and WebAssembly modules (parsing and the limit rewrite). Each target states its property: a parser either accepts
 * its input or refuses it with the exception its contract names, and what it accepts round-trips. Any other exception
 * (an {@code ArrayIndexOutOfBoundsException}, a {@code NegativeArraySizeException}, an endless loop caught by the fuzz
 * timeout) is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} each target runs as a regression test over its seed corpus in
 * {@code src/test/resources/dev/cidra/registry/ParserFuzzTestInputs/<target>/} (committed seeds and every finding's
 * reproducer). The build also fuzzes each target for a few seconds (the {@code fuzz-*} executions in this module's pom);
 * {@code load-tests/fuzz/run.sh MINUTES} runs them for longer (README, "The two commands").
 */
class ParserFuzzTest {
    private static final long MAX_PAGES = 1024;
    private static final long MAX_TABLE = 1 << 16;

    @FuzzTest(maxDuration = "10s")
    void cidText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Optional<Cid> parsed = Cid.tryParse(text);
        if (parsed.isEmpty()) {
            return;
        }
        Cid cid = parsed.get();
        assertEquals(cid, Cid.parse(cid.toString()), "a parsed CID's canonical text parses to the same CID");
        assertEquals(cid, Cid.fromBytes(cid.toBytes()), "a parsed CID's binary form parses to the same CID");
        assertArrayEquals(cid.digest(), cid.toV1().digest());
    }

    @FuzzTest(maxDuration = "10s")
    void cidBytes(byte[] input) {
        Cid cid;
        try {
            cid = Cid.fromBytes(input);
        } catch (InvalidCidException refused) {
            return;
        }
        assertEquals(cid, Cid.parse(cid.toString()));
        assertArrayEquals(cid.toBytes(), Cid.fromBytes(cid.toBytes()).toBytes());
    }

    @FuzzTest(maxDuration = "10s")
    void multibase(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            byte[] decoded = Multibase.decodeBase58btc(text);
            assertArrayEquals(decoded, Multibase.decodeBase58btc(Multibase.encodeBase58btc(decoded)));
        } catch (InvalidCidException refused) {
            // not base58btc
        }
        try {
            byte[] decoded = Multibase.decodeBase32(text, 0);
            assertEquals(text, Multibase.encodeBase32(decoded), "only canonical base32 is accepted");
        } catch (InvalidCidException refused) {
            // not canonical lower-case base32
        }
    }

    @FuzzTest(maxDuration = "10s")
    void dagPbBlock(byte[] block) {
        Cid cid = Cid.of(1, Cid.Codec.DAG_PB, Cid.rawOf(block).digest());
        try {
            DagPb.decode(cid, block);
        } catch (RegistryException refused) {
            return;
        }
        try {
            UnixFs.cat(cid, wanted -> wanted.equals(cid) ? block : null, 1 << 20);
        } catch (RegistryException refused) {
            // a missing child, a size that contradicts the node, a directory: all refused with a reason
        } catch (java.io.IOException e) {
            throw new AssertionError("the block source never fails, so no IOException may escape", e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void wasmModule(byte[] bytes) {
        WasmModule module;
        try {
            module = WasmModule.parse(bytes);
        } catch (InvalidModuleException refused) {
            return;
        }
        byte[] limited;
        try {
            limited = module.withLimits(MAX_PAGES, MAX_TABLE);
        } catch (InvalidModuleException refused) {
            return; // a minimum above the caps, or memory64
        }
        WasmModule rewritten = WasmModule.parse(limited);
        assertEquals(module.imports(), rewritten.imports(), "the rewrite keeps every import");
        assertEquals(module.exports(), rewritten.exports(), "the rewrite keeps every export");
        rewritten.memories().forEach(limits -> {
            if (limits.max() < 0 || limits.max() > MAX_PAGES) {
                throw new AssertionError("a memory is still unbounded or above the cap: " + limits);
            }
        });
    }
}
