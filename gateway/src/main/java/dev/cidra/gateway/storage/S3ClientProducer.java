package dev.cidra.gateway.storage;

import dev.cidra.gateway.config.GatewayConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Produces the application's one {@link S3Client}, built from {@link GatewayConfig.S3} and closed at shutdown. */
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
        GatewayConfig.S3 s3 = config.s3();
        if (s3.accessKeyId().isPresent() != s3.secretAccessKey().isPresent()) {
            throw new IllegalArgumentException("cidra.s3.access-key-id and cidra.s3.secret-access-key must be set"
                    + " together (static credentials) or both left unset (the AWS default credentials chain), but only "
                    + (s3.accessKeyId().isPresent() ? "cidra.s3.access-key-id" : "cidra.s3.secret-access-key")
                    + " is set");
        }
        var builder =
                S3Client.builder().region(Region.of(s3.region())).httpClientBuilder(UrlConnectionHttpClient.builder());
        s3.accessKeyId()
                .ifPresent(id -> builder.credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(id, s3.secretAccessKey().orElseThrow()))));
        s3.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    void close(@Disposes S3Client client) {
        client.close();
    }
}
