package dev.cidra.executor.service.inputs;

import dev.cidra.executor.service.execution.DiskBudget;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Downloads a {@code urlDownload} input (http or https only; up to {@value #MAX_REDIRECTS} redirects followed, never
 * from https to http; unless allowed, no hop may reach a loopback, link-local, site-local or wildcard address) to
 * {@code <dir>/<last path segment of the URL asked for>} ({@code download} when the path has none). The whole download, body included, must
 * finish within the timeout: a watchdog closes the body stream at the deadline. At most {@code maxBytes} are read.
 * Thread-safe.
 */
final class UrlInput {
    static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final long maxBytes;
    private final Duration timeout;
    private final boolean allowPrivate;

    /** @param client must not follow redirects: this class follows them, checking every hop */
    UrlInput(HttpClient client, long maxBytes, Duration timeout, boolean allowPrivate) {
        this.client = client;
        this.allowPrivate = allowPrivate;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    void fetch(String url, Path dir, DiskBudget budget) throws IOException, InputException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new InputException("URL \"" + url + "\" is not a URI: " + e.getMessage(), e);
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new InputException("URL \"" + url + "\" must be an absolute http or https URL");
        }
        URI requested = uri;
        HttpResponse<InputStream> response = null;
        for (int hop = 0; response == null; hop++) {
            requirePublic(uri, url);
            var request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            HttpResponse<InputStream> answer;
            try {
                answer = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InputException("interrupted while downloading " + url, e);
            } catch (java.net.http.HttpTimeoutException e) {
                throw new InputException("no answer from " + uri + " within " + timeout, e);
            } catch (IOException e) {
                throw new InputException("cannot download " + url + ": " + e, e);
            }
            var location = answer.headers().firstValue("Location");
            if (answer.statusCode() / 100 != 3 || location.isEmpty()) {
                response = answer;
                continue;
            }
            answer.body().close();
            if (hop == MAX_REDIRECTS) {
                throw new InputException(url + " redirects more than " + MAX_REDIRECTS + " times");
            }
            URI next = uri.resolve(location.get());
            if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new InputException(url + " redirects from https to " + next + "; not followed");
            }
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new InputException(url + " redirects to " + next + ", which is not an http or https URL");
            }
            uri = next;
        }
        var timedOut = new AtomicBoolean();
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new InputException("GET " + url + " answered HTTP " + response.statusCode());
            }
            String overLimit = url + " is larger than " + maxBytes + " bytes (cidra.inputs.max-url-bytes)";
            long declared =
                    response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw new InputException(overLimit + ": Content-Length is " + declared);
            }
            if (declared > budget.remaining()) {
                budget.take(declared, url + " (" + declared + " bytes)"); // fails before the body is read
            }
            Thread watchdog = Thread.ofVirtual().start(() -> closeAtDeadline(body, timedOut));
            try {
                Downloads.copy(body, dir.resolve(fileName(requested)), budget, url, maxBytes, overLimit);
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new InputException("downloading " + url + " took longer than " + timeout, e);
            }
            throw new InputException("cannot download " + url + ": " + e, e);
        }
    }

    /**
     * Refuses a URL whose host resolves to an address of this node or its private network, unless allowed.
     *
     * @throws InputException naming the host and the address
     */
    private void requirePublic(URI uri, String url) throws InputException {
        if (allowPrivate) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new InputException("cannot download " + url + ": unknown host " + uri.getHost(), e);
        }
        for (InetAddress address : addresses) {
            if (PrivateAddresses.isPrivate(address)) {
                throw new InputException("URL " + uri + " reaches " + address.getHostAddress()
                        + ", a loopback, link-local or private address; not allowed (cidra.inputs.allow-private-urls)");
            }
        }
    }

    /** Closes {@code body} when the timeout passes; an interrupt means the download ended first. */
    private void closeAtDeadline(InputStream body, AtomicBoolean timedOut) {
        try {
            Thread.sleep(timeout);
        } catch (InterruptedException e) {
            return; // the download finished: nothing to stop, and this thread ends here
        }
        timedOut.set(true);
        try {
            body.close();
        } catch (IOException e) {
            // the reader fails anyway once the stream is closed, and reports the timeout
        }
    }

    /** The URL path's last segment, decoded; {@code download} when there is none or it is not a plain file name. */
    static String fileName(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String segment = path.substring(path.lastIndexOf('/') + 1);
        String name = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (name.isEmpty()
                || name.equals(".")
                || name.equals("..")
                || name.contains("/")
                || name.contains("\\")
                || name.indexOf('\0') >= 0) {
            return "download";
        }
        return name;
    }
}
