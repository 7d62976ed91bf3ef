package dev.cidra.gateway.security;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/** The token the gateway shows the executors' result endpoints ({@link AuthConfig#executorTokenFile()}). */
@Singleton
public class ExecutorToken {
    private final Optional<String> token;

    /**
     * @throws UncheckedIOException if the configured file cannot be read
     * @throws IllegalStateException if it is empty
     */
    ExecutorToken(AuthConfig config) {
        token = config.executorTokenFile().map(file -> {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (text.isEmpty()) {
                    throw new IllegalStateException("cidra.auth.executor-token-file " + file + " is empty");
                }
                return text;
            } catch (IOException e) {
                throw new UncheckedIOException("cidra.auth.executor-token-file " + file + " cannot be read", e);
            }
        });
    }

    /** Adds {@code Authorization: Bearer <token>} to a request to an executor, if a token is configured. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        token.ifPresent(value -> request.header("Authorization", "Bearer " + value));
        return request;
    }
}
