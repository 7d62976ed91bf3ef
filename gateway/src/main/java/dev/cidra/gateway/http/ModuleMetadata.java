package dev.cidra.gateway.http;

import dev.cidra.gateway.service.ModuleDescription;
import dev.cidra.registry.WasmModule;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON description of a stored module. */
@Schema(name = "Module", description = "A stored WebAssembly module: its CIDs, size, imports and exports.")
public record ModuleMetadata(
        @Schema(
                description = "CIDv1 raw (sha2-256) of the module's bytes; the module's name in this API",
                examples = "bafkreifm6exjrsak3zs4zbnpqsq3jb6dwj24iyxxg25kyi5pwoakd2ph3a")
        String cid,

        @Schema(
                description = "the CID `ipfs add --cid-version=1` prints for the bytes: the same as cid up to"
                        + " 256 KiB, a dag-pb root (bafybei...) above; accepted wherever cid is")
        String unixfsCid,

        @Schema(description = "length of the module in bytes")
        long size,

        List<ImportEntry> imports,
        List<ExportEntry> exports) {

    /** One import of the module. */
    @Schema(name = "Import")
    public record ImportEntry(
            @Schema(examples = "wasi_snapshot_preview1") String module,
            @Schema(examples = "fd_write") String name,

            @Schema(enumeration = {"function", "table", "memory", "global", "tag"})
            String kind) {}

    /** One export of the module. */
    @Schema(name = "Export")
    public record ExportEntry(
            @Schema(examples = "_start") String name,

            @Schema(enumeration = {"function", "table", "memory", "global", "tag"})
            String kind) {}

    static ModuleMetadata of(ModuleDescription module) {
        return new ModuleMetadata(
                module.cid().toString(),
                module.unixFsCid().toString(),
                module.size(),
                module.module().imports().stream()
                        .map(i -> new ImportEntry(i.module(), i.name(), kind(i.kind())))
                        .toList(),
                module.module().exports().stream()
                        .map(e -> new ExportEntry(e.name(), kind(e.kind())))
                        .toList());
    }

    private static String kind(WasmModule.ExternalKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
