package dev.cidra.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** {@code GET} of a URI template with {@code {cid}} replaced. Thread-safe because {@link HttpClient} is. */
final class HttpStore implements ContentStore {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final String PLACEHOLDER = "{cid}";

    private final String uriTemplate;
    private final HttpClient client;
    private final Duration timeout;

    HttpStore(String uriTemplate, HttpClient client, Duration timeout) {
        this.uriTemplate = Objects.requireNonNull(uriTemplate, "uriTemplate");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (!uriTemplate.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("URI template " + uriTemplate + " does not contain " + PLACEHOLDER);
        }
        checkHttpUri(uriTemplate.replace(PLACEHOLDER, "cid"), "URI template " + uriTemplate);
    }

    /**
     * @param what names the URI in the message
     * @throws IllegalArgumentException unless {@code uri} is an absolute http or https URI with a host
     */
    static URI checkHttpUri(String uri, String what) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a valid URI: " + e.getMessage(), e);
        }
        String scheme = parsed.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || parsed.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http:// or https:// URI with a host");
        }
        return parsed;
    }

    @Override
    public Optional<byte[]> fetch(Cid cid, long maxBytes) {
        Objects.requireNonNull(cid, "cid");
        ContentChecks.checkLimit(maxBytes);
        var uri = URI.create(uriTemplate.replace(PLACEHOLDER, cid.toString()));
        var request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        return HttpGet.fetch(
                        client,
                        request,
                        maxBytes,
                        () -> ContentChecks.tooLarge(cid, maxBytes, uri.toString()),
                        "module " + cid)
                .map(content -> ContentChecks.verified(cid, content, uri.toString()));
    }

    @Override
    public String describe() {
        return uriTemplate;
    }

    @Override
    public String toString() {
        return describe();
    }
}
