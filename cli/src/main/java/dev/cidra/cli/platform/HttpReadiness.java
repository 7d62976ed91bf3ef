package dev.cidra.cli.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Readiness of a Quarkus service: {@code /q/health/ready} answers 200 (its checks of Kafka, S3 and so on pass). */
final class HttpReadiness implements Service.Readiness {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI ready;

    HttpReadiness(URI base) {
        this.ready = base.resolve("/q/health/ready");
    }

    @Override
    public void check() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + ready + " answered " + response.statusCode() + ": "
                    + response.body().strip().replaceAll("\\s+", " "));
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
