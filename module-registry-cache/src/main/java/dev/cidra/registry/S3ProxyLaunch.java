package dev.cidra.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How Cidra runs <a href="https://github.com/gaul/s3proxy">S3Proxy</a>, the S3-compatible store of the local platform
 * ({@code cidra up}) and of the tests ({@code S3ProxyServer}), as a child JVM: its properties and its command line.
 * The server checks AWS signatures (v2 and v4) against one static key pair.
 *
 * @param endpoint where it listens, {@code http://host:port}
 * @param accessKey the access key of the one key pair it accepts
 * @param secretKey that key pair's secret
 * @param baseDir where objects live as files ({@code filesystem-nio2}: they survive a restart), or null to keep them
 *     in memory ({@code transient-nio2}, which supports versioning)
 */
public record S3ProxyLaunch(URI endpoint, String accessKey, String secretKey, Path baseDir) {
    public S3ProxyLaunch {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
    }

    /** S3Proxy's properties, in the order they are written. */
    public Map<String, String> properties() {
        var properties = new LinkedHashMap<String, String>();
        properties.put("s3proxy.endpoint", endpoint.toString());
        properties.put("s3proxy.authorization", "aws-v2-or-v4");
        properties.put("s3proxy.identity", accessKey);
        properties.put("s3proxy.credential", secretKey);
        properties.put("jclouds.provider", baseDir == null ? "transient-nio2" : "filesystem-nio2");
        properties.put("jclouds.identity", accessKey);
        properties.put("jclouds.credential", secretKey);
        if (baseDir != null) {
            properties.put("jclouds.filesystem.basedir", baseDir.toString());
        }
        return properties;
    }

    /**
     * The arguments after the {@code java} executable: a small heap, the C1 compiler only and the serial collector (it
     * serves a handful of requests a second, and starts in about 1.5 s so), then {@code jar} with
     * {@code propertiesFile}, where {@link #properties()} are written.
     */
    public static List<String> jvmArguments(Path jar, Path propertiesFile) {
        return List.of(
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString(),
                "--properties",
                propertiesFile.toString());
    }
}
