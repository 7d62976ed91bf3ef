package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3ConnectionTest {
    @Test
    void refusesHalfOfTheStaticCredentials() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new S3Connection(Optional.empty(), "us-east-1", Optional.of("key"), Optional.empty()));
        assertEquals(
                "cidra.s3.access-key-id and cidra.s3.secret-access-key must be set together (static credentials) or"
                        + " both left unset (the AWS default credentials chain), but only cidra.s3.access-key-id is set",
                e.getMessage());
    }

    @Test
    void anEndpointMeansPathStyleRequestsToIt() {
        var connection = new S3Connection(
                Optional.of(URI.create("http://127.0.0.1:9000")), "eu-west-1", Optional.of("k"), Optional.of("s"));
        try (var client = connection.newClient()) {
            var config = client.serviceClientConfiguration();
            assertEquals(
                    URI.create("http://127.0.0.1:9000"),
                    config.endpointOverride().orElseThrow());
            assertEquals("eu-west-1", config.region().id());
        }
    }
}
