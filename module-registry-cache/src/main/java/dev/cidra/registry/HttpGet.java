package dev.cidra.registry;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** A GET whose body is bounded in size and whose whole exchange, body included, is bounded in time. */
final class HttpGet {
    private HttpGet() {}

    /**
     * Sends {@code request} and returns the body of a 2xx response.
     *
     * @param request a GET with a timeout, which bounds the whole exchange including the body
     * @param maxBytes the largest body accepted; a larger declared {@code Content-Length} fails before the body is read
     * @param overLimit the exception thrown when the body is larger than {@code maxBytes}
     * @param what what is being fetched, for error messages (e.g. "module bafy...")
     * @return the body; empty on HTTP 404
     * @throws RegistryException on any other status, an I/O error, a timeout or an interrupt (the flag is kept)
     */
    static Optional<byte[]> fetch(
            HttpClient client,
            HttpRequest request,
            long maxBytes,
            Supplier<? extends RuntimeException> overLimit,
            String what) {
        Duration timeout = request.timeout().orElseThrow();
        String exchange = "GET " + request.uri() + " for " + what;
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> {
            if (info.statusCode() / 100 != 2) {
                // Drained (bounded by the timeout) so that the connection can be reused.
                return HttpResponse.BodySubscribers.replacing(null);
            }
            return new BoundedBody(maxBytes, info.headers().firstValueAsLong("Content-Length"), overLimit);
        });
        HttpResponse<byte[]> response;
        try {
            response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted during " + exchange, e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(exchange, timeout, e);
        } catch (ExecutionException e) {
            throw failure(exchange, timeout, e.getCause());
        }
        int status = response.statusCode();
        if (status == 404) {
            return Optional.empty();
        }
        if (status / 100 != 2) {
            throw new RegistryException(exchange + " failed: HTTP " + status);
        }
        return Optional.of(response.body());
    }

    private static RuntimeException failure(String exchange, Duration timeout, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RegistryException e) {
                return e;
            }
            if (t instanceof HttpTimeoutException) {
                return timedOut(exchange, timeout, cause);
            }
        }
        return new RegistryException(exchange + " failed: " + cause, cause);
    }

    private static RegistryException timedOut(String exchange, Duration timeout, Throwable cause) {
        return new RegistryException(exchange + " did not complete within " + timeout.toMillis() + " ms", cause);
    }

    /**
     * Collects at most {@code maxBytes}; cancels the subscription (closing the connection) as soon as the body is
     * declared or found to be larger. Reactive-streams signals are serial, so the fields need no locking.
     */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long maxBytes;
        private final OptionalLong declaredLength;
        private final Supplier<? extends RuntimeException> overLimit;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final List<ByteBuffer> received = new ArrayList<>();
        private long receivedBytes;
        private Flow.Subscription subscription;

        BoundedBody(long maxBytes, OptionalLong declaredLength, Supplier<? extends RuntimeException> overLimit) {
            this.maxBytes = maxBytes;
            this.declaredLength = declaredLength;
            this.overLimit = overLimit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (declaredLength.orElse(0) > maxBytes) {
                reject();
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                receivedBytes += buffer.remaining();
                if (receivedBytes > maxBytes) {
                    reject();
                    return;
                }
                received.add(buffer);
            }
        }

        private void reject() {
            subscription.cancel();
            received.clear();
            body.completeExceptionally(overLimit.get());
        }

        @Override
        public void onError(Throwable throwable) {
            received.clear();
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            if (body.isDone()) {
                return;
            }
            byte[] bytes = new byte[Math.toIntExact(receivedBytes)];
            int offset = 0;
            for (ByteBuffer buffer : received) {
                int length = buffer.remaining();
                buffer.get(bytes, offset, length);
                offset += length;
            }
            received.clear();
            body.complete(bytes);
        }
    }
}
