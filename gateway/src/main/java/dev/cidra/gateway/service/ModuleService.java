package dev.cidra.gateway.service;

import dev.cidra.gateway.nodes.NodeView;
import dev.cidra.gateway.storage.ModuleBucket;
import dev.cidra.gateway.storage.StorageException;
import dev.cidra.gateway.storage.StoredModuleCorruptException;
import dev.cidra.registry.Cid;
import dev.cidra.registry.InvalidModuleException;
import dev.cidra.registry.ModuleNotFoundException;
import dev.cidra.registry.ModuleTooLargeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * Uploads, describes and serves modules. Records every upload in the counter {@value #UPLOADS} and the timer
 * {@value #UPLOAD_DURATION}, both tagged {@code outcome} ({@code created}, {@code existing}, {@code invalid},
 * {@code too_large}, {@code failed}), registered at startup so that every series exists from zero. Thread-safe.
 */
@Startup
@Singleton
public class ModuleService {
    /** Counter of uploads by outcome. */
    public static final String UPLOADS = "cidra.module.uploads";
    /** Timer of uploads by outcome, from the first byte read to the answer. */
    public static final String UPLOAD_DURATION = "cidra.module.upload.duration";

    private enum Outcome {
        CREATED,
        EXISTING,
        INVALID,
        TOO_LARGE,
        FAILED
    }

    private final ModuleBucket bucket;
    private final NodeView nodes;
    private final OutcomeMeters<Outcome> meters;

    ModuleService(ModuleBucket bucket, NodeView nodes, MeterRegistry meters) {
        this.bucket = bucket;
        this.nodes = nodes;
        this.meters = new OutcomeMeters<>(meters, Outcome.class, UPLOADS, UPLOAD_DURATION, "Module uploads");
    }

    /**
     * Reads a module, validates it and stores it under its CIDv1 raw and, when different, under the CID {@code ipfs
     * add --cid-version=1} prints. The raw key is written last, so a module whose raw key exists is stored whole; a
     * failed upload may leave the other key behind, holding exactly its content, and a retry completes it. Keys that
     * already hold the module are not rewritten.
     *
     * @param declaredLength the body's length if the client declared it; a larger one is rejected before reading
     * @throws ModuleTooLargeException if the module is over {@code cidra.registry.max-module-bytes}; at most one byte
     *     more than the limit is read
     * @throws InvalidModuleException if the bytes are not a WebAssembly core module; nothing is stored
     * @throws StorageException if the object store fails
     * @throws UncheckedIOException if the body cannot be read
     */
    public UploadResult upload(InputStream body, OptionalLong declaredLength) {
        Timer.Sample sample = meters.start();
        Outcome outcome = Outcome.FAILED;
        try {
            byte[] content = read(body, declaredLength);
            ModuleDescription module = ModuleDescription.of(content);
            byte[] sha256 = module.cid().digest();
            boolean created = false;
            if (!module.unixFsCid().equals(module.cid())) {
                created = bucket.putIfAbsent(module.unixFsCid(), content, sha256);
            }
            created |= bucket.putIfAbsent(module.cid(), content, sha256);
            outcome = created ? Outcome.CREATED : Outcome.EXISTING;
            return new UploadResult(module, created);
        } catch (InvalidModuleException e) {
            outcome = Outcome.INVALID;
            throw e;
        } catch (ModuleTooLargeException e) {
            outcome = Outcome.TOO_LARGE;
            throw e;
        } finally {
            meters.record(sample, outcome);
        }
    }

    /**
     * Whether a module is stored under {@code cid}, without reading it: what a client asks before it uploads.
     *
     * @throws StorageException if the object store fails
     */
    public boolean holds(Cid cid) {
        return bucket.holds(cid);
    }

    /**
     * The description of a stored module, from its verified content.
     *
     * @throws ModuleNotFoundException if no module is stored under {@code cid}
     * @throws StorageException if the object store fails
     * @throws StoredModuleCorruptException if the stored object is not the module {@code cid} names
     */
    public ModuleDescription describe(Cid cid) {
        byte[] content = content(cid);
        try {
            return ModuleDescription.of(content);
        } catch (InvalidModuleException e) {
            throw new StoredModuleCorruptException(
                    "the object stored for " + cid + " is not a WebAssembly module (" + e.getMessage() + "); an"
                            + " operator must delete it, then the module can be uploaded again",
                    e);
        }
    }

    /**
     * The bytes of a stored module, verified against {@code cid}.
     *
     * @throws ModuleNotFoundException if {@code cid} is a module provider nodes announce (its bytes never leave them,
     *     whatever the store holds), or no module is stored under it
     * @throws StorageException if the object store fails
     * @throws StoredModuleCorruptException if the stored object is not the content {@code cid} names
     */
    public byte[] content(Cid cid) {
        var provider = nodes.lastProviderOf(cid.toString());
        if (provider.isPresent()) {
            throw new ModuleNotFoundException("module " + cid + " is served only by provider nodes (node "
                    + provider.get() + " announces it): its bytes never leave them, so this registry neither stores"
                    + " nor serves them; call it, and the call runs on a provider");
        }
        return bucket.fetch(cid)
                .orElseThrow(() -> new ModuleNotFoundException("no module " + cid + " is stored in this registry"));
    }

    private byte[] read(InputStream body, OptionalLong declaredLength) {
        long limit = bucket.maxModuleBytes();
        if (declaredLength.isPresent() && declaredLength.getAsLong() > limit) {
            throw tooLarge(declaredLength.getAsLong() + " bytes", limit);
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes(Math.toIntExact(limit + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded module: " + e.getMessage(), e);
        }
        if (bytes.length > limit) {
            throw tooLarge("more than " + limit + " bytes", limit);
        }
        return bytes;
    }

    private static ModuleTooLargeException tooLarge(String size, long limit) {
        return new ModuleTooLargeException(
                "the module has " + size + ", above the limit of " + limit + " bytes per module");
    }
}
