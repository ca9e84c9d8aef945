package io.orchestry.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny upstream for tests on 127.0.0.1 (a free port): every request gets 200 and the text
 * {@code name=<name> path=<raw path and query> host=<Host header>}, with the name also in the {@code X-Echo-Name}
 * header. Counts the requests it answered.
 */
public final class EchoServer implements AutoCloseable {
    public static final String NAME_HEADER = "X-Echo-Name";

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();

    private EchoServer(String name, HttpServer server, ExecutorService executor) {
        this.name = name;
        this.server = server;
        this.executor = executor;
    }

    public static EchoServer start(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService executor = Executors.newFixedThreadPool(4);
            EchoServer echo = new EchoServer(name, server, executor);
            server.createContext("/", echo::answer);
            server.setExecutor(executor);
            server.start();
            return echo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String body = "name=" + name + " path=" + exchange.getRequestURI().toString()
                    + " host=" + exchange.getRequestHeaders().getFirst("Host") + "\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set(NAME_HEADER, name);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            requests.incrementAndGet();
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:<port>}, as nginx's {@code $upstream_addr} writes it. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
