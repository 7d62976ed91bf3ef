package dev.cidra.registry;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Rewrites a module's bytes: re-encodes its memory and table limits under caps ({@link WasmModule#withLimits}; only
 * the import, table and memory sections are rewritten, all other bytes are copied unchanged), or appends a custom
 * section ({@link WasmModule#withCustomSection}). Stateless.
 */
final class ModuleRewriter {
    private ModuleRewriter() {}

    /**
     * {@code bytes}, a module {@link WasmModule#parse} accepted, with every memory limited to {@code maxMemoryPages}
     * and every table to {@code maxTableElements}.
     *
     * @throws InvalidModuleException if a minimum is above its cap, or a memory uses memory64
     */
    static byte[] rewrite(byte[] bytes, long maxMemoryPages, long maxTableElements) {
        var out = new ByteArrayOutputStream(bytes.length + 16);
        out.write(bytes, 0, 8);
        var in = new WasmReader(bytes);
        in.pos = 8;
        while (in.pos < bytes.length) {
            int start = in.pos;
            int id = in.u8();
            int size = in.u32();
            int end = in.pos + size;
            byte[] body =
                    switch (id) {
                        case WasmReader.SECTION_IMPORT -> rewriteImports(in, end, maxMemoryPages, maxTableElements);
                        case WasmReader.SECTION_TABLE -> rewriteTables(in, maxTableElements);
                        case WasmReader.SECTION_MEMORY -> rewriteMemories(in, maxMemoryPages);
                        default -> null;
                    };
            if (body == null) {
                out.write(bytes, start, end - start);
            } else {
                out.write(id);
                writeU32(out, body.length);
                out.write(body, 0, body.length);
            }
            in.pos = end;
        }
        return out.toByteArray();
    }

    private static byte[] rewriteImports(WasmReader in, int end, long maxMemoryPages, long maxTableElements) {
        var out = new ByteArrayOutputStream(end - in.pos + 16);
        int count = in.u32();
        writeU32(out, count);
        for (int i = 0; i < count; i++) {
            int start = in.pos;
            String module = in.name();
            String name = in.name();
            int kind = in.u8();
            String what = "\"" + module + "\" \"" + name + "\"";
            switch (kind) {
                case 1 -> {
                    in.u8();
                    out.write(bytes(in, start, in.pos), 0, in.pos - start);
                    writeLimits(out, in, "imported table " + what, maxTableElements, "elements");
                }
                case 2 -> {
                    out.write(bytes(in, start, in.pos), 0, in.pos - start);
                    writeLimits(out, in, "imported memory " + what, maxMemoryPages, "pages");
                }
                default -> {
                    switch (kind) {
                        case 0 -> in.u32();
                        case 3 -> {
                            in.u8();
                            in.u8();
                        }
                        default -> {
                            in.u8();
                            in.u32();
                        }
                    }
                    out.write(bytes(in, start, in.pos), 0, in.pos - start);
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] rewriteTables(WasmReader in, long maxTableElements) {
        var out = new ByteArrayOutputStream();
        int count = in.u32();
        writeU32(out, count);
        for (int i = 0; i < count; i++) {
            int refType = in.u8();
            if (refType == 0x40) {
                throw in.error("table " + i + " uses an initialiser expression (function references proposal)");
            }
            out.write(refType);
            writeLimits(out, in, "table " + i, maxTableElements, "elements");
        }
        return out.toByteArray();
    }

    private static byte[] rewriteMemories(WasmReader in, long maxMemoryPages) {
        var out = new ByteArrayOutputStream();
        int count = in.u32();
        writeU32(out, count);
        for (int i = 0; i < count; i++) {
            writeLimits(out, in, "memory " + i, maxMemoryPages, "pages");
        }
        return out.toByteArray();
    }

    private static void writeLimits(ByteArrayOutputStream out, WasmReader in, String what, long cap, String unit) {
        WasmReader.LimitsAndFlags declared = in.limitsAndFlags(what);
        long min = declared.limits().min();
        long max =
                declared.limits().max() < 0 ? cap : Math.min(declared.limits().max(), cap);
        if (min > cap) {
            throw new InvalidModuleException(what + " needs " + describe(min, unit) + " at start, above the "
                    + (unit.equals("pages") ? "memory" : "table") + " limit of " + describe(cap, unit));
        }
        out.write(declared.flags() == 0x03 ? 0x03 : 0x01);
        writeU32(out, min);
        writeU32(out, max);
    }

    private static String describe(long amount, String unit) {
        return unit.equals("pages")
                ? amount + " pages (" + amount * WasmModule.PAGE_SIZE / 1024 + " KiB)"
                : amount + " " + unit;
    }

    private static byte[] bytes(WasmReader in, int from, int to) {
        return Arrays.copyOfRange(in.bytes, from, to);
    }

    /** {@code module} with a custom section of {@code name} (UTF-8) and {@code payload} appended. */
    static byte[] withCustomSection(byte[] module, byte[] name, byte[] payload) {
        var section = new ByteArrayOutputStream();
        writeU32(section, name.length);
        section.writeBytes(name);
        section.writeBytes(payload);
        var out = new ByteArrayOutputStream(module.length + section.size() + 6);
        out.writeBytes(module);
        out.write(0);
        writeU32(out, section.size());
        out.writeBytes(section.toByteArray());
        return out.toByteArray();
    }

    private static void writeU32(ByteArrayOutputStream out, long value) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
    }
}
