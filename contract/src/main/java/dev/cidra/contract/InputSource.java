package dev.cidra.contract;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Data a job reads, fetched by the executor before the guest starts and mounted at {@link #target()} (read-only unless
 * a local directory is allow-listed read-write and asked for with {@code ReadWrite=true}). Field and parameter names
 * follow Bacalhau's job spec. Immutable once built.
 *
 * <p>Types and their parameters ({@code *} required):
 *
 * <ul>
 *   <li>{@value #S3}: {@code Bucket*}, {@code Key*} (an object; a prefix when it ends in {@code /}; every key with
 *       that prefix when it ends in {@code *}), {@code Filter} (a regex the keys below the prefix must match),
 *       {@code VersionID}, {@code ChecksumSHA256} (base64, verified), {@code Endpoint}, {@code Region}
 *   <li>{@value #URL}: {@code URL*} (http or https)
 *   <li>{@value #IPFS}: {@code CID*} (fetched through the executor's IPFS gateway, every block verified)
 *   <li>{@value #LOCAL_DIRECTORY}: {@code SourcePath*} (must be allow-listed by the executor; {@code Path} is
 *       accepted for it, as Bacalhau's WASM engine documentation writes it), {@code ReadWrite} ({@code true} or
 *       {@code false}, the default)
 * </ul>
 *
 * @param type one of {@value #S3}, {@value #URL}, {@value #IPFS}, {@value #LOCAL_DIRECTORY}
 * @param params the type's parameters; null means none
 * @param target the absolute guest path the data is mounted at, e.g. {@code /inputs}; null only for a module source
 *     ({@link ModuleSources}), which is not mounted
 * @param alias an optional name for the input; null means none
 */
public record InputSource(String type, Map<String, String> params, String target, String alias) {
    public static final String S3 = "s3";
    public static final String URL = "urlDownload";
    public static final String IPFS = "ipfs";
    public static final String LOCAL_DIRECTORY = "localDirectory";

    private static final Map<String, List<String>> REQUIRED = Map.of(
            S3,
            List.of("Bucket", "Key"),
            URL,
            List.of("URL"),
            IPFS,
            List.of("CID"),
            LOCAL_DIRECTORY,
            List.of("SourcePath"));
    private static final Map<String, Set<String>> KNOWN = Map.of(
            S3,
            Set.of("Bucket", "Key", "Filter", "VersionID", "ChecksumSHA256", "Endpoint", "Region"),
            URL,
            Set.of("URL"),
            IPFS,
            Set.of("CID"),
            LOCAL_DIRECTORY,
            Set.of("SourcePath", "ReadWrite"));
    private static final String PATH = "Path";

    /**
     * @throws IllegalArgumentException naming the field or parameter and the rule it breaks
     */
    public InputSource {
        if (type == null || !REQUIRED.containsKey(type)) {
            throw new IllegalArgumentException("input source type must be one of " + S3 + ", " + URL + ", " + IPFS
                    + ", " + LOCAL_DIRECTORY + ", not " + (type == null ? "null" : "\"" + type + "\""));
        }
        if (LOCAL_DIRECTORY.equals(type) && params != null && params.containsKey(PATH)) {
            if (params.containsKey("SourcePath")) {
                throw new IllegalArgumentException(
                        "input source localDirectory has both Path and SourcePath; give one of them");
            }
            var renamed = new java.util.LinkedHashMap<String, String>();
            params.forEach((name, value) -> renamed.put(PATH.equals(name) ? "SourcePath" : name, value));
            params = renamed;
        }
        params = Require.params(params, "input source " + type, REQUIRED.get(type), KNOWN.get(type));
        target = target == null ? null : Require.guestPath(target, "input target");
        if (LOCAL_DIRECTORY.equals(type) && params.containsKey("ReadWrite")) {
            Require.bool(params.get("ReadWrite"), "input source localDirectory ReadWrite");
        }
        if (alias != null) {
            Require.nonBlank(alias, "alias");
        }
    }

    /** A parameter's value, or null when absent. */
    public String param(String name) {
        return params.get(name);
    }
}
