package dev.cidra.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cidra.registry.Cid;
import dev.cidra.registry.UnixFs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An IPFS <a href="https://specs.ipfs.tech/http-gateways/trustless-gateway/">trustless gateway</a> on a random loopback
 * port, for tests: serves single blocks ({@code GET /ipfs/<cid>?format=raw} or {@code Accept:
 * application/vnd.ipld.raw}) of the files added to it. Answers 404 for an unknown block and 400 for a request that asks
 * for neither raw format. Thread-safe.
 */
public final class TrustlessGatewayServer implements AutoCloseable {
    public static final String RAW_BLOCK = "application/vnd.ipld.raw";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<Cid, byte[]> blocks = new ConcurrentHashMap<>();
    private final List<Cid> requested = new CopyOnWriteArrayList<>();

    private TrustlessGatewayServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts an empty gateway on 127.0.0.1 and a random port. */
    public static TrustlessGatewayServer start() throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        var gateway = new TrustlessGatewayServer(server, executor);
        server.createContext("/ipfs/", gateway::handle);
        server.start();
        return gateway;
    }

    /** The gateway's base URI, {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        var address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /**
     * Adds a file as {@code ipfs add} does ({@link UnixFs#add(InputStream, int, UnixFs.BlockSink)}) and serves its
     * blocks.
     *
     * @return the file's root CID
     */
    public Cid add(byte[] content, int cidVersion) {
        try {
            return UnixFs.add(new ByteArrayInputStream(content), cidVersion, blocks::put);
        } catch (IOException e) {
            throw new UncheckedIOException("UnixFs.add failed on a byte array", e);
        }
    }

    /** The CIDs of all blocks served, in no particular order. */
    public List<Cid> blocks() {
        return List.copyOf(blocks.keySet());
    }

    /** The block stored under {@code cid}, if any. */
    public Optional<byte[]> block(Cid cid) {
        return Optional.ofNullable(blocks.get(cid)).map(byte[]::clone);
    }

    /** Serves {@code bytes} for {@code cid} from now on, whether or not they hash to it (to simulate a bad gateway). */
    public void serve(Cid cid, byte[] bytes) {
        blocks.put(cid, bytes.clone());
    }

    /** Stops serving {@code cid}: requests for it get 404. */
    public void remove(Cid cid) {
        blocks.remove(cid);
    }

    /** The CIDs requested so far, in order, including those answered with 404. */
    public List<Cid> requested() {
        return List.copyOf(requested);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            if (!"format=raw".equals(query) && !RAW_BLOCK.equals(accept)) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath().substring("/ipfs/".length());
            Optional<Cid> cid = Cid.tryParse(path);
            if (cid.isEmpty()) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            requested.add(cid.get());
            byte[] block = blocks.get(cid.get());
            if (block == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", RAW_BLOCK);
            // 0 would mean a chunked body to HttpServer; -1 means none.
            exchange.sendResponseHeaders(200, block.length == 0 ? -1 : block.length);
            exchange.getResponseBody().write(block);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
