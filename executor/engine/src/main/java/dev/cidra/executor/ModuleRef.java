package dev.cidra.executor;

import dev.cidra.registry.Cid;

/** Names a module to run or link: by CID (fetched and verified through the registry) or by its bytes. */
public sealed interface ModuleRef {
    /** What argv[0] and error messages call the module. */
    String name();

    /** A module addressed by content id. */
    record ByCid(Cid cid) implements ModuleRef {
        @Override
        public String name() {
            return cid.toString();
        }
    }

    /**
     * A module given as bytes (a local file). Its cache identity is the CIDv1 raw of the bytes.
     *
     * @param name usually the file name
     */
    record ByBytes(String name, byte[] bytes) implements ModuleRef {}

    static ModuleRef of(Cid cid) {
        return new ByCid(cid);
    }

    static ModuleRef of(String name, byte[] bytes) {
        return new ByBytes(name, bytes);
    }
}
