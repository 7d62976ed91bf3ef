package dev.cidra.executor.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy on a fixed loopback port to a target endpoint that holds every byte a client sends while its gate is
 * shut: S3 made as slow as a test needs, byte for byte the real one otherwise (signatures included, since the bytes
 * pass unchanged). One virtual thread per direction of each connection.
 */
final class GatedProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private volatile CountDownLatch open = new CountDownLatch(0);

    GatedProxy(int port, InetSocketAddress target) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress("127.0.0.1", port));
        this.target = target;
        Thread.ofVirtual().name("gated-proxy-accept").start(this::accept);
    }

    /** From now on, what clients send waits. */
    void shut() {
        open = new CountDownLatch(1);
    }

    /** Lets everything through again, what waited first. */
    void open() {
        open.countDown();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean gated) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (gated) {
                    open.await();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side hung up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        open();
        server.close();
    }
}
