package dev.cidra.gateway.storage;

import dev.cidra.gateway.config.GatewayConfig;
import dev.cidra.registry.S3Config;
import dev.cidra.registry.S3Connection;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/** Produces the application's one {@link S3Client}, built from {@link S3Config} and closed at shutdown. */
@Singleton
class S3ClientProducer {

    /**
     * The shared, thread-safe client. It owns its HTTP client (URL connection) and, without static credentials, its
     * AWS default credentials chain, so closing it releases both.
     *
     * @throws IllegalArgumentException if only one of the two static credentials keys is set
     */
    @Produces
    @Singleton
    S3Client s3Client(GatewayConfig config) {
        S3Config s3 = config.s3();
        return S3Connection.of(s3).newClient();
    }

    void close(@Disposes S3Client client) {
        client.close();
    }
}
