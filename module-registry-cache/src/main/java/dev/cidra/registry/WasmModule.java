package dev.cidra.registry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The linking-relevant shape of a WebAssembly core module (binary format 1): imports, exports, function types and
 * memory/table limits. Parsing reads section headers and the sections named above only; code is validated later by
 * the engine ({@link WasmReader} is the cursor over the binary format); {@link #withLimits} re-encodes the limits
 * ({@link ModuleRewriter}). Instances are immutable and thread-safe.
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

    private final byte[] bytes;
    private final List<FuncType> types;
    private final List<Import> imports;
    private final List<Integer> importedFunctionTypes;
    private final List<Integer> functionTypes;
    private final List<Export> exports;
    private final List<Limits> memories;
    private final List<Limits> tables;
    private final boolean hasStart;

    private WasmModule(
            byte[] bytes,
            List<FuncType> types,
            List<Import> imports,
            List<Integer> importedFunctionTypes,
            List<Integer> functionTypes,
            List<Export> exports,
            List<Limits> memories,
            List<Limits> tables,
            boolean hasStart) {
        this.bytes = bytes;
        this.types = List.copyOf(types);
        this.imports = List.copyOf(imports);
        this.importedFunctionTypes = List.copyOf(importedFunctionTypes);
        this.functionTypes = List.copyOf(functionTypes);
        this.exports = List.copyOf(exports);
        this.memories = List.copyOf(memories);
        this.tables = List.copyOf(tables);
        this.hasStart = hasStart;
    }

    /**
     * Parses the module's header and linking sections.
     *
     * @throws InvalidModuleException if the bytes are not a well-formed WebAssembly 1 core module (the message says
     *     what is wrong and at which byte offset)
     */
    public static WasmModule parse(byte[] bytes) {
        var in = new WasmReader(bytes);
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
        boolean hasStart = false;
        while (in.pos < bytes.length) {
            int id = in.u8();
            int size = in.u32();
            int end = in.pos + size;
            if (end > bytes.length || end < in.pos) {
                throw in.error("section " + id + " of " + size + " bytes runs past the end of the module");
            }
            switch (id) {
                case WasmReader.SECTION_TYPE -> readTypes(in, types);
                case WasmReader.SECTION_IMPORT -> readImports(in, imports, importedFunctionTypes, memories, tables);
                case WasmReader.SECTION_FUNCTION -> {
                    int count = in.count("function");
                    for (int i = 0; i < count; i++) {
                        functionTypes.add(in.u32());
                    }
                }
                case WasmReader.SECTION_TABLE -> {
                    int count = in.count("table");
                    for (int i = 0; i < count; i++) {
                        in.u8();
                        tables.add(in.limits("table " + i));
                    }
                }
                case WasmReader.SECTION_MEMORY -> {
                    int count = in.count("memory");
                    for (int i = 0; i < count; i++) {
                        memories.add(in.limits("memory " + i));
                    }
                }
                case WasmReader.SECTION_EXPORT -> readExports(in, exports);
                case WasmReader.SECTION_START -> {
                    hasStart = true;
                    in.pos = end;
                }
                default -> in.pos = end;
            }
            if (in.pos != end) {
                throw in.error("section " + id + " has " + (end - in.pos) + " unexpected trailing bytes");
            }
        }
        return new WasmModule(
                bytes, types, imports, importedFunctionTypes, functionTypes, exports, memories, tables, hasStart);
    }

    /** Whether the module has a start function, which the engine runs while it instantiates the module. */
    public boolean hasStart() {
        return hasStart;
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
        return ModuleRewriter.rewrite(bytes, maxMemoryPages, maxTableElements);
    }

    /**
     * {@code module} followed by a custom section (id 0, which engines ignore) named {@code name} holding
     * {@code payload}: the same code under a new CID.
     */
    public static byte[] withCustomSection(byte[] module, String name, byte[] payload) {
        return ModuleRewriter.withCustomSection(module, name.getBytes(StandardCharsets.UTF_8), payload);
    }

    private static void readTypes(WasmReader in, List<FuncType> types) {
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

    private static List<Byte> valueTypes(WasmReader in) {
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
            WasmReader in,
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

    private static void readExports(WasmReader in, List<Export> exports) {
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
}
