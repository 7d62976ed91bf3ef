package dev.cidra.gateway.service;

import dev.cidra.registry.Cid;
import dev.cidra.registry.UnixFs;
import dev.cidra.registry.WasmModule;

/**
 * What the gateway knows about a stored module.
 *
 * @param cid the CIDv1 {@code raw} of the bytes ({@link Cid#rawOf}), the key the module is stored under
 * @param unixFsCid what {@code ipfs add --cid-version=1} prints for the bytes: {@code cid} up to 256 KiB, a dag-pb
 *     root above; the module is stored under this key too
 * @param size the module's length in bytes
 * @param module its imports and exports
 */
public record ModuleDescription(Cid cid, Cid unixFsCid, long size, WasmModule module) {

    /**
     * Parses {@code bytes} and computes both CIDs.
     *
     * @throws dev.cidra.registry.InvalidModuleException if the bytes are not a WebAssembly core module
     */
    static ModuleDescription of(byte[] bytes) {
        WasmModule module = WasmModule.parse(bytes);
        return new ModuleDescription(Cid.rawOf(bytes), UnixFs.add(bytes, 1), bytes.length, module);
    }
}
