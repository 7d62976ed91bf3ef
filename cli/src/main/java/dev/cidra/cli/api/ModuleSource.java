package dev.cidra.cli.api;

import dev.cidra.cli.Stores;
import dev.cidra.registry.Cid;
import dev.cidra.registry.ModuleRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Turns what a user names a module by into the CID of a module the gateway stores, uploading ({@code POST /v1/modules})
 * what it does not have (asked by CID with {@code HEAD /v1/modules/{cid}} first, so a stored module is not sent again): a local file; a CID (which must be stored already); {@code ipfs://CID} (used as is when
 * stored, else fetched through the IPFS trustless gateway {@code $CIDRA_IPFS_GATEWAY}, every block verified, and
 * uploaded); an {@code http(s)://} URL or an {@code s3://BUCKET/KEY} object (fetched here, with the AWS settings of the
 * environment for S3, and uploaded). Job specs name modules by CID only, so URLs are fetched client-side. What it
 * uploads it reports on {@code progress}.
 */
public final class ModuleSource {
    /** The forms of MODULE, for help texts. */
    static final String FORMS =
            "a .wasm file, a CID the gateway stores, or an ipfs://CID, http(s):// or s3://BUCKET/KEY"
                    + " URL (fetched here and uploaded)";

    /** The IPFS trustless gateway the CLI and the local platform use unless told otherwise. */
    public static final String DEFAULT_IPFS_GATEWAY = "https://trustless-gateway.link";

    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(2);

    private final Gateway gateway;
    private final FileCids fileCids;
    private final PrintStream progress;

    ModuleSource(Gateway gateway, FileCids fileCids, PrintStream progress) {
        this.gateway = gateway;
        this.fileCids = fileCids;
        this.progress = progress;
    }

    /**
     * The CID of the module {@code spec} names, stored in the gateway.
     *
     * @throws IllegalArgumentException if {@code spec} is none of the accepted forms (a usage error)
     * @throws GatewayException if the gateway does not have a CID, or refuses an upload
     */
    String resolve(String spec) throws IOException, InterruptedException {
        if (spec.startsWith("ipfs://")) {
            Cid cid = cid(spec.substring("ipfs://".length()), spec);
            if (stored(cid.toString())) {
                return cid.toString();
            }
            String ipfsGateway = Optional.ofNullable(System.getenv("CIDRA_IPFS_GATEWAY"))
                    .filter(value -> !value.isBlank())
                    .orElse(DEFAULT_IPFS_GATEWAY);
            progress.println("module: fetching " + cid + " from " + ipfsGateway + " ...");
            byte[] module;
            try (ModuleRegistry registry = Stores.registry(List.of("ipfs:" + ipfsGateway))) {
                module = registry.fetch(cid);
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "cannot fetch " + spec + " through " + ipfsGateway + ": " + e.getMessage(), e);
            }
            return upload(module, spec);
        }
        if (spec.startsWith("http://") || spec.startsWith("https://")) {
            return upload(download(URI.create(spec)), spec);
        }
        if (spec.startsWith("s3://")) {
            return upload(s3Object(spec), spec);
        }
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) {
            return upload(file, spec);
        }
        if (spec.endsWith(".wasm") || spec.contains("/")) {
            throw new IllegalArgumentException(spec + ": no such file");
        }
        Cid cid = cid(spec, spec);
        gateway.getJson("/v1/modules/" + Gateway.encode(cid.toString()));
        return spec;
    }

    /**
     * Uploads the module in {@code file} unless the gateway stores it already; its CID. An unchanged file whose CID is
     * remembered ({@link FileCids}) is not read at all.
     */
    String upload(Path file, String label) throws IOException, InterruptedException {
        Optional<FileCids.Stamp> stamp = fileCids.stamp(file);
        Optional<Cid> known = stamp.flatMap(fileCids::known);
        if (known.isPresent() && stored(known.get().toString())) {
            progress.println("module: " + label + " is " + known.get() + ", unchanged and stored already");
            return known.get().toString();
        }
        byte[] module = Files.readAllBytes(file);
        Cid raw = Cid.rawOf(module);
        String cid = upload(module, raw, label);
        stamp.ifPresent(before -> fileCids.remember(file, before, raw));
        return cid;
    }

    /**
     * Uploads a module unless the gateway stores it already (its CIDv1 raw computed here, asked with a {@code HEAD});
     * its CID.
     */
    private String upload(byte[] module, String label) throws IOException, InterruptedException {
        return upload(module, Cid.rawOf(module), label);
    }

    private String upload(byte[] module, Cid raw, String label) throws IOException, InterruptedException {
        if (stored(raw.toString())) {
            progress.println("module: " + label + " (" + module.length + " bytes) is " + raw + ", stored already");
            return raw.toString();
        }
        String cid = gateway.upload(module);
        progress.println("module: " + label + " (" + module.length + " bytes) is " + cid);
        return cid;
    }

    private boolean stored(String cid) throws IOException, InterruptedException {
        return gateway.exists("/v1/modules/" + Gateway.encode(cid));
    }

    private static Cid cid(String text, String spec) {
        return Cid.tryParse(text)
                .orElseThrow(() -> new IllegalArgumentException(spec + " is neither a file nor a CID, nor an"
                        + " ipfs://CID, http(s):// or s3://BUCKET/KEY URL"));
    }

    private static byte[] download(URI uri) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch " + uri + ": " + e.getMessage(), e);
        }
    }

    private static byte[] s3Object(String spec) {
        String rest = spec.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException(spec + ": an S3 module must be s3://BUCKET/KEY");
        }
        String bucket = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        try (S3Client s3 = Stores.s3Client()) {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            throw new IllegalStateException("cannot fetch " + spec + ": " + e.getMessage(), e);
        }
    }
}
