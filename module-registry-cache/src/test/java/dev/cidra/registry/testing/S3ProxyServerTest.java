package dev.cidra.registry.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

class S3ProxyServerTest {
    @TempDir
    Path baseDir;

    @Test
    void onDiskServerKeepsObjectsAcrossRestartsAndStopsOnClose() throws IOException {
        byte[] content = TestContent.random(5000, 30);
        var first = S3ProxyServer.onDisk(baseDir);
        try (first) {
            first.createBucket("kept");
            first.client().putObject(request -> request.bucket("kept").key("object"), RequestBody.fromBytes(content));
        }
        assertThrows(
                ConnectException.class,
                () -> new Socket(first.endpoint().getHost(), first.endpoint().getPort()).close());

        try (var second = S3ProxyServer.onDisk(baseDir)) {
            byte[] read = second.client()
                    .getObjectAsBytes(request -> request.bucket("kept").key("object"))
                    .asByteArray();
            assertArrayEquals(content, read);
        }
    }
}
