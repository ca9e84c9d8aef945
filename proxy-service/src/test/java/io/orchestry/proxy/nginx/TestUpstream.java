package io.orchestry.proxy.nginx;

import com.sun.net.httpserver.HttpServer;
import io.orchestry.proxy.domain.Endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A JDK HttpServer on 127.0.0.1 that answers every request 200 with its name. */
public final class TestUpstream implements AutoCloseable {
    private final HttpServer server;
    private final String name;

    public TestUpstream(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "upstream-" + name);
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public Endpoint endpoint() {
        return new Endpoint("127.0.0.1", server.getAddress().getPort(), "i-" + name);
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
