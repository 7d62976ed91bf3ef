package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cidra.registry.testing.S3ProxyServer;
import dev.cidra.registry.testing.TestContent;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Against a real S3 server (S3Proxy in a child JVM), one per class; each test writes its own keys. */
class S3StoreTest {
    private static final String BUCKET = "modules";
    private static final String PREFIX = "wasm/";

    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3ProxyServer.inMemory();
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    private static void putObject(String key, byte[] bytes) {
        s3.client().putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    @Test
    void servesTheObjectUnderPrefixAndCid() {
        byte[] content = TestContent.random(30_000, 11);
        Cid cid = Cid.rawOf(content);
        putObject(PREFIX + cid, content);

        assertArrayEquals(
                content,
                ContentStore.s3(s3.client(), BUCKET, PREFIX).fetch(cid, 1 << 20).orElseThrow());
    }

    @Test
    void servesAMultiChunkFileUnderItsDagPbCid() {
        byte[] content = TestContent.random(600 * 1024, 12);
        Cid v1 = UnixFs.add(content, 1);
        putObject(PREFIX + v1, content);

        assertArrayEquals(
                content,
                ContentStore.s3(s3.client(), BUCKET, PREFIX)
                        .fetch(v1, content.length)
                        .orElseThrow());
    }

    @Test
    void missingKeyIsEmpty() {
        Cid absent = Cid.rawOf(TestContent.random(10, 13));

        assertEquals(
                Optional.empty(), ContentStore.s3(s3.client(), BUCKET, PREFIX).fetch(absent, 1 << 20));
    }

    @Test
    void missingBucketIsAnErrorNotAbsence() {
        Cid cid = Cid.rawOf(TestContent.random(10, 14));

        var e = assertThrows(RegistryException.class, () -> ContentStore.s3(s3.client(), "no-such-bucket", PREFIX)
                .fetch(cid, 1 << 20));
        assertFalse(e instanceof ModuleNotFoundException, e.toString());
        assertTrue(e.getMessage().contains("s3://no-such-bucket/" + PREFIX + cid), e.getMessage());
    }

    @Test
    void wrongBytesUnderTheCidAreAMismatch() {
        Cid cid = Cid.rawOf(TestContent.random(1000, 15));
        putObject(PREFIX + cid, TestContent.random(1000, 16));

        var e = assertThrows(ContentMismatchException.class, () -> ContentStore.s3(s3.client(), BUCKET, PREFIX)
                .fetch(cid, 1 << 20));
        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/" + PREFIX + cid), e.getMessage());
    }

    @Test
    void objectOverTheLimitIsTooLarge() {
        byte[] content = TestContent.random(50_000, 17);
        Cid cid = Cid.rawOf(content);
        putObject(PREFIX + cid, content);

        var e = assertThrows(ModuleTooLargeException.class, () -> ContentStore.s3(s3.client(), BUCKET, PREFIX)
                .fetch(cid, 49_999));
        assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(" 49999 bytes"), e.getMessage());
    }

    @Test
    void rejectedSignatureIsAnError() {
        byte[] content = TestContent.random(100, 18);
        Cid cid = Cid.rawOf(content);
        putObject(PREFIX + cid, content);
        try (var wrongSecret = S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(() -> AwsBasicCredentials.create(s3.accessKey(), s3.secretKey() + "-wrong"))
                .forcePathStyle(true)
                .httpClient(ApacheHttpClient.create())
                .build()) {
            var e = assertThrows(RegistryException.class, () -> ContentStore.s3(wrongSecret, BUCKET, PREFIX)
                    .fetch(cid, 1 << 20));
            assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
        }
    }

    @Test
    void describesItselfAsAnS3Uri() {
        assertEquals(
                "s3://" + BUCKET + "/" + PREFIX,
                ContentStore.s3(s3.client(), BUCKET, PREFIX).describe());
    }
}
