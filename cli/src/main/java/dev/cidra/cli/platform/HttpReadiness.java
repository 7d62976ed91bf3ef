package dev.cidra.cli.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readiness of a Quarkus service: {@code /q/health/ready} answers 200 (its checks of Kafka, S3 and so on pass). While
 * it does not, the executor's {@code engine-warmup} check gives the progress ({@code warm-up DONE/ROUNDS}).
 */
final class HttpReadiness implements Service.Readiness {
    private static final Pattern WARMUP = Pattern.compile("\"engine-warmup\"[^{}]*\"data\"\\s*:\\s*\\{([^{}]*)}");
    private static final Pattern ROUNDS = Pattern.compile("\"rounds\"\\s*:\\s*(\\d+)");
    private static final Pattern DONE = Pattern.compile("\"done\"\\s*:\\s*(\\d+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI ready;
    private String progress;

    HttpReadiness(URI base) {
        this.ready = base.resolve("/q/health/ready");
    }

    @Override
    public void check() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            Matcher warmup = WARMUP.matcher(response.body());
            if (warmup.find()) {
                Matcher rounds = ROUNDS.matcher(warmup.group(1));
                Matcher done = DONE.matcher(warmup.group(1));
                if (rounds.find() && done.find()) {
                    progress = "warm-up " + done.group(1) + "/" + rounds.group(1);
                }
            }
            throw new IOException("GET " + ready + " answered " + response.statusCode() + ": "
                    + response.body().strip().replaceAll("\\s+", " "));
        }
    }

    @Override
    public String progress() {
        return progress;
    }

    @Override
    public void close() {
        http.close();
    }
}
