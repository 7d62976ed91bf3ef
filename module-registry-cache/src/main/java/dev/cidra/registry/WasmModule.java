package dev.cidra.registry;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The linking-relevant shape of a WebAssembly core module (binary format 1): imports, exports, function types and
 * memory/table limits. Parsing reads section headers and the sections named above only; code is validated later by
 * the engine. Instances are immutable and thread-safe.
 */
public final class WasmModule {
    /** Bytes in one WebAssembly page. */
    public static final long PAGE_SIZE = 65_536;

    /** The kind of an import or export, as the binary format numbers them. */
    public enum ExternalKind {
        FUNCTION,
        TABLE,
        MEMORY,
        GLOBAL,
        TAG
    }

    /** One import: {@code (import "module" "name" (kind ...))}. */
    public record Import(String module, String name, ExternalKind kind) {}

    /** One export; {@code index} is into the kind's index space (imports first). */
    public record Export(String name, ExternalKind kind, int index) {}

    /**
     * The limits of a memory (in pages) or table (in elements), as the spec names them.
     *
     * @param max the declared maximum, or -1 if none
     */
    public record Limits(long min, long max) {}

    /** A function signature; value types are the binary format's codes (0x7F = i32 ...). */
    public record FuncType(List<Byte> params, List<Byte> results) {
        @Override
        public String toString() {
            return "(" + names(params) + ") -> (" + names(results) + ")";
        }

        private static String names(List<Byte> types) {
            var joined = new StringBuilder();
            for (byte type : types) {
                if (!joined.isEmpty()) {
                    joined.append(", ");
                }
                joined.append(valueTypeName(type));
            }
            return joined.toString();
        }
    }

    private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6D};
    private static final int SECTION_TYPE = 1;
    private static final int SECTION_IMPORT = 2;
    private static final int SECTION_FUNCTION = 3;
    private static final int SECTION_TABLE = 4;
    private static final int SECTION_MEMORY = 5;
    private static final int SECTION_EXPORT = 7;

    private final byte[] bytes;
    private final List<FuncType> types;
    private final List<Import> imports;
    private final List<Integer> importedFunctionTypes;
    private final List<Integer> functionTypes;
    private final List<Export> exports;
    private final List<Limits> memories;
    private final List<Limits> tables;

    private WasmModule(
            byte[] bytes,
            List<FuncType> types,
            List<Import> imports,
            List<Integer> importedFunctionTypes,
            List<Integer> functionTypes,
            List<Export> exports,
            List<Limits> memories,
            List<Limits> tables) {
        this.bytes = bytes;
        this.types = List.copyOf(types);
        this.imports = List.copyOf(imports);
        this.importedFunctionTypes = List.copyOf(importedFunctionTypes);
        this.functionTypes = List.copyOf(functionTypes);
        this.exports = List.copyOf(exports);
        this.memories = List.copyOf(memories);
        this.tables = List.copyOf(tables);
    }

    /**
     * Parses the module's header and linking sections.
     *
     * @throws InvalidModuleException if the bytes are not a well-formed WebAssembly 1 core module (the message says
     *     what is wrong and at which byte offset)
     */
    public static WasmModule parse(byte[] bytes) {
        var in = new Reader(bytes);
        if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
            throw new InvalidModuleException("not a WebAssembly module: it does not start with the magic bytes \\0asm");
        }
        in.pos = 4;
        int version = in.u32le();
        if (version == 0x0001_000D || version == 0x0001_000E) {
            throw new InvalidModuleException(
                    "this is a WebAssembly component, not a core module: only WASI preview 1 core modules are supported");
        }
        if (version != 1) {
            throw new InvalidModuleException("not a WebAssembly module this runtime supports: binary format version "
                    + version + ", expected 1");
        }
        var types = new ArrayList<FuncType>();
        var imports = new ArrayList<Import>();
        var importedFunctionTypes = new ArrayList<Integer>();
        var functionTypes = new ArrayList<Integer>();
        var exports = new ArrayList<Export>();
        var memories = new ArrayList<Limits>();
        var tables = new ArrayList<Limits>();
        while (in.pos < bytes.length) {
            int id = in.u8();
            int size = in.u32();
            int end = in.pos + size;
            if (end > bytes.length || end < in.pos) {
                throw in.error("section " + id + " of " + size + " bytes runs past the end of the module");
            }
            switch (id) {
                case SECTION_TYPE -> readTypes(in, types);
                case SECTION_IMPORT -> readImports(in, imports, importedFunctionTypes, memories, tables);
                case SECTION_FUNCTION -> {
                    int count = in.count("function");
                    for (int i = 0; i < count; i++) {
                        functionTypes.add(in.u32());
                    }
                }
                case SECTION_TABLE -> {
                    int count = in.count("table");
                    for (int i = 0; i < count; i++) {
                        in.u8();
                        tables.add(in.limits("table " + i));
                    }
                }
                case SECTION_MEMORY -> {
                    int count = in.count("memory");
                    for (int i = 0; i < count; i++) {
                        memories.add(in.limits("memory " + i));
                    }
                }
                case SECTION_EXPORT -> readExports(in, exports);
                default -> in.pos = end;
            }
            if (in.pos != end) {
                throw in.error("section " + id + " has " + (end - in.pos) + " unexpected trailing bytes");
            }
        }
        return new WasmModule(bytes, types, imports, importedFunctionTypes, functionTypes, exports, memories, tables);
    }

    /** Memory limits in index-space order (imported memories first), in pages. */
    public List<Limits> memories() {
        return memories;
    }

    /** Table limits in index-space order (imported tables first), in elements. */
    public List<Limits> tables() {
        return tables;
    }

    public List<Import> imports() {
        return imports;
    }

    public List<Export> exports() {
        return exports;
    }

    /** Distinct import module names, in order of first appearance. */
    public Set<String> importModules() {
        var names = new LinkedHashSet<String>();
        for (Import imp : imports) {
            names.add(imp.module());
        }
        return names;
    }

    public Optional<Export> export(String name) {
        return exports.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The signature of an exported function, or empty if {@code name} is not an exported function. */
    public Optional<FuncType> exportedFunctionType(String name) {
        return export(name).filter(e -> e.kind() == ExternalKind.FUNCTION).map(e -> {
            int index = e.index();
            int typeIndex = index < importedFunctionTypes.size()
                    ? importedFunctionTypes.get(index)
                    : functionTypes.get(index - importedFunctionTypes.size());
            return types.get(typeIndex);
        });
    }

    /**
     * Returns this module's bytes with every memory (defined or imported) limited to at most {@code maxMemoryPages}
     * pages and every table to at most {@code maxTableElements} elements. A declared maximum below the cap is kept.
     * Only the import, table and memory sections are re-encoded; all other bytes are copied unchanged.
     *
     * @throws InvalidModuleException if a memory or table needs more than the cap at instantiation (its minimum is
     *     above it), or uses memory64
     */
    public byte[] withLimits(long maxMemoryPages, long maxTableElements) {
        var out = new ByteArrayOutputStream(bytes.length + 16);
        out.write(bytes, 0, 8);
        var in = new Reader(bytes);
        in.pos = 8;
        while (in.pos < bytes.length) {
            int start = in.pos;
            int id = in.u8();
            int size = in.u32();
            int end = in.pos + size;
            byte[] body =
                    switch (id) {
                        case SECTION_IMPORT -> rewriteImports(in, end, maxMemoryPages, maxTableElements);
                        case SECTION_TABLE -> rewriteTables(in, maxTableElements);
                        case SECTION_MEMORY -> rewriteMemories(in, maxMemoryPages);
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

    private static void readTypes(Reader in, List<FuncType> types) {
        int count = in.count("type");
        for (int i = 0; i < count; i++) {
            int form = in.u8();
            if (form != 0x60) {
                throw in.error("type " + i + " has form 0x" + Integer.toHexString(form)
                        + "; only function types (0x60) are supported (no GC proposal types)");
            }
            types.add(new FuncType(valueTypes(in), valueTypes(in)));
        }
    }

    private static List<Byte> valueTypes(Reader in) {
        int count = in.count("value type");
        var list = new ArrayList<Byte>(count);
        for (int i = 0; i < count; i++) {
            byte type = (byte) in.u8();
            valueTypeName(type);
            list.add(type);
        }
        return list;
    }

    private static void readImports(
            Reader in,
            List<Import> imports,
            List<Integer> importedFunctionTypes,
            List<Limits> memories,
            List<Limits> tables) {
        int count = in.count("import");
        for (int i = 0; i < count; i++) {
            String module = in.name();
            String name = in.name();
            int kind = in.u8();
            switch (kind) {
                case 0 -> importedFunctionTypes.add(in.u32());
                case 1 -> {
                    in.u8();
                    tables.add(in.limits("imported table \"" + module + "\" \"" + name + "\""));
                }
                case 2 -> memories.add(in.limits("imported memory \"" + module + "\" \"" + name + "\""));
                case 3 -> {
                    in.u8();
                    in.u8();
                }
                case 4 -> {
                    in.u8();
                    in.u32();
                }
                default -> throw in.error("import \"" + module + "\" \"" + name + "\" has unknown kind " + kind);
            }
            imports.add(new Import(module, name, ExternalKind.values()[kind]));
        }
    }

    private static void readExports(Reader in, List<Export> exports) {
        int count = in.u32();
        for (int i = 0; i < count; i++) {
            String name = in.name();
            int kind = in.u8();
            if (kind >= ExternalKind.values().length) {
                throw in.error("export \"" + name + "\" has unknown kind " + kind);
            }
            exports.add(new Export(name, ExternalKind.values()[kind], in.u32()));
        }
    }

    private static byte[] rewriteImports(Reader in, int end, long maxMemoryPages, long maxTableElements) {
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

    private static byte[] rewriteTables(Reader in, long maxTableElements) {
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

    private static byte[] rewriteMemories(Reader in, long maxMemoryPages) {
        var out = new ByteArrayOutputStream();
        int count = in.u32();
        writeU32(out, count);
        for (int i = 0; i < count; i++) {
            writeLimits(out, in, "memory " + i, maxMemoryPages, "pages");
        }
        return out.toByteArray();
    }

    private static void writeLimits(ByteArrayOutputStream out, Reader in, String what, long cap, String unit) {
        LimitsAndFlags declared = in.limitsAndFlags(what);
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
        return unit.equals("pages") ? amount + " pages (" + amount * PAGE_SIZE / 1024 + " KiB)" : amount + " " + unit;
    }

    private static byte[] bytes(Reader in, int from, int to) {
        return java.util.Arrays.copyOfRange(in.bytes, from, to);
    }

    private static void writeU32(ByteArrayOutputStream out, long value) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
    }

    static String valueTypeName(byte type) {
        return switch (type) {
            case 0x7F -> "i32";
            case 0x7E -> "i64";
            case 0x7D -> "f32";
            case 0x7C -> "f64";
            case 0x7B -> "v128";
            case 0x70 -> "funcref";
            case 0x6F -> "externref";
            default -> throw new InvalidModuleException("unsupported value type 0x" + Integer.toHexString(type & 0xFF));
        };
    }

    private record LimitsAndFlags(Limits limits, int flags) {}

    /** A cursor over the module bytes; every read is bounds-checked and fails with the offset. */
    private static final class Reader {
        final byte[] bytes;
        int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        InvalidModuleException error(String message) {
            return new InvalidModuleException("malformed WebAssembly module at byte " + pos + ": " + message);
        }

        int u8() {
            if (pos >= bytes.length) {
                throw error("unexpected end of module");
            }
            return bytes[pos++] & 0xFF;
        }

        int u32le() {
            return u8() | u8() << 8 | u8() << 16 | u8() << 24;
        }

        /**
         * A vector's element count, refused when it cannot fit in the bytes left (every element takes at least one
         * byte): a declared count is never trusted to size an allocation.
         */
        int count(String what) {
            int count = u32();
            if (Integer.toUnsignedLong(count) > bytes.length - pos) {
                throw error(Integer.toUnsignedString(count) + " " + what + " entries declared, but only "
                        + (bytes.length - pos) + " bytes are left");
            }
            return count;
        }

        int u32() {
            long result = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = u8();
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (result > 0xFFFF_FFFFL) {
                        throw error("LEB128 value out of u32 range");
                    }
                    return (int) result;
                }
            }
            throw error("LEB128 value longer than 5 bytes");
        }

        String name() {
            int length = u32();
            if (length < 0 || pos + length > bytes.length) {
                throw error("name of " + Integer.toUnsignedString(length) + " bytes runs past the end");
            }
            try {
                String name = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, pos, length))
                        .toString();
                pos += length;
                return name;
            } catch (CharacterCodingException e) {
                throw error("name is not valid UTF-8");
            }
        }

        Limits limits(String what) {
            return limitsAndFlags(what).limits();
        }

        LimitsAndFlags limitsAndFlags(String what) {
            int flags = u8();
            if (flags >= 0x04 && flags <= 0x07) {
                throw error(what + " uses memory64, which is not supported");
            }
            if (flags > 0x03) {
                throw error(what + " has unknown limits flags 0x" + Integer.toHexString(flags));
            }
            long min = Integer.toUnsignedLong(u32());
            long max = (flags & 0x01) != 0 ? Integer.toUnsignedLong(u32()) : -1;
            return new LimitsAndFlags(new Limits(min, max), flags);
        }
    }
}
