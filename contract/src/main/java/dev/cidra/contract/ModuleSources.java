package dev.cidra.contract;

import java.util.List;

/**
 * A job's modules given as {@linkplain InputSource input sources} (Bacalhau's {@code EntryModule} and
 * {@code ImportModules} shapes) rather than by CID. The executor fetches each with the job's inputs' fetchers and
 * grants, computes its CIDs, and links it. Immutable once built.
 *
 * <p>An import module satisfies an import whose module name is its CIDv0 or CIDv1 (raw or UnixFS, as {@code ipfs add}
 * computes them), its {@code Target} (with or without the leading {@code /}), or its file name without {@code .wasm}.
 *
 * @param entry the entry module's source; null when the job names its entry module by CID
 * @param imports the import modules' sources, in order; null means none. A target is optional (a module source is not
 *     mounted) and, when given, names the module
 */
public record ModuleSources(InputSource entry, List<InputSource> imports) {
    /**
     * @throws IllegalArgumentException if an import is null, or there is neither an entry nor an import
     */
    public ModuleSources {
        imports = imports == null ? List.of() : Require.noNulls(imports, "module sources' imports");
        if (entry == null && imports.isEmpty()) {
            throw new IllegalArgumentException("module sources must name an entry module or an import module");
        }
    }
}
