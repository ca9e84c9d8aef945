package io.orchestry.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo app: {@code GET /} answers its instance, revision, app and pid as JSON; {@code GET /health} 200 "ok" (503
 * once {@code POST /health/fail} was called or with DEMO_UNHEALTHY=1; {@code POST /health/recover} undoes it);
 * {@code GET /burn?ms=N} burns CPU that long on the handler thread; {@code GET /sleep?ms=N} sleeps. One line per request
 * on stdout, its start on stderr; exits 0 on SIGTERM. JDK only, so it starts in a fraction of a second.
 */
public final class DemoApp implements AutoCloseable {
    private static final long MAX_MS = 60_000;

    private final DemoSettings settings;
    private final HttpServer server;
    private final AtomicBoolean failed;

    private DemoApp(DemoSettings settings, HttpServer server) {
        this.settings = settings;
        this.server = server;
        this.failed = new AtomicBoolean(settings.unhealthy());
    }

    public static void main(String[] args) {
        // without TCP_NODELAY every keep-alive response waits for the client's delayed ACK (~40 ms): behind nginx's
        // keep-alive upstreams that capped one replica at ~350 requests/s (found by bench/run proxy)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        DemoSettings settings = DemoSettings.from(System.getenv());
        DemoApp app = start(settings);
        Signals.onTerm(() -> {
            if (settings.ignoreSigterm()) {
                System.err.println("demo-app: SIGTERM ignored (DEMO_IGNORE_SIGTERM=1)");
                return;
            }
            System.err.println("demo-app: SIGTERM, stopping");
            app.close();
            System.exit(0);
        });
        if (settings.exitAfterMs() > 0) {
            Thread crash = new Thread(() -> {
                sleep(settings.exitAfterMs());
                System.err.println("demo-app: DEMO_EXIT_AFTER_MS=" + settings.exitAfterMs() + " reached, exit 3");
                Runtime.getRuntime().halt(3);
            }, "demo-exit-after");
            crash.setDaemon(true);
            crash.start();
        }
        System.err.println("demo-app: listening on " + settings.host() + ":" + app.port() + " pid " + ProcessHandle.current().pid()
                + " instance=" + settings.instance() + " revision=" + settings.revision());
    }

    /** Starts serving; the caller closes it. */
    public static DemoApp start(DemoSettings settings) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 128);
            DemoApp app = new DemoApp(settings, server);
            server.createContext("/", app::handle);
            server.setExecutor(Executors.newFixedThreadPool(Math.max(4, java.lang.Runtime.getRuntime().availableProcessors() * 2)));
            server.start();
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String path = uri.getPath();
        int status;
        String body;
        String type = "text/plain";
        if ("GET".equals(method) && "/".equals(path)) {
            status = 200;
            body = identity();
            type = "application/json";
        } else if ("GET".equals(method) && "/health".equals(path)) {
            status = failed.get() ? 503 : 200;
            body = failed.get() ? "failing" : "ok";
        } else if ("POST".equals(method) && "/health/fail".equals(path)) {
            failed.set(true);
            status = 200;
            body = "health now fails";
        } else if ("POST".equals(method) && "/health/recover".equals(path)) {
            failed.set(false);
            status = 200;
            body = "health now ok";
        } else if ("GET".equals(method) && "/burn".equals(path)) {
            long ms = millis(uri.getRawQuery());
            burn(ms);
            status = 200;
            body = "burned " + ms + " ms";
        } else if ("GET".equals(method) && "/sleep".equals(path)) {
            long ms = millis(uri.getRawQuery());
            sleep(ms);
            status = 200;
            body = "slept " + ms + " ms";
        } else {
            status = 404;
            body = "not found";
        }
        respond(exchange, status, type, body);
        System.out.println(Instant.now() + " " + method + " " + uri + " " + status);
    }

    private String identity() {
        return "{\"instance\":" + json(settings.instance()) + ",\"revision\":" + json(settings.revision())
                + ",\"app\":" + json(settings.app()) + ",\"project\":" + json(settings.project())
                + ",\"pid\":" + ProcessHandle.current().pid() + "}";
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The {@code ms} parameter of a query, 0 when absent or not a number, at most a minute. */
    static long millis(String rawQuery) {
        if (rawQuery == null) {
            return 0;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("ms=")) {
                try {
                    return Math.min(MAX_MS, Math.max(0, Long.parseLong(pair.substring(3))));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void burn(long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000;
        long spin = 0;
        while (System.nanoTime() < deadline) {
            spin++;
        }
        if (spin == Long.MIN_VALUE) {
            System.out.println("unreachable");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
