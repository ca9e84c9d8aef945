package io.orchestry.proxy.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real nginx writes the access log in {@link AccessLogFormat}; the tailer reads it on its own ticker and the windows
 * count it: the counts equal the requests sent, per app and per status class. nginx runs as our child with its own
 * prefix; as root it would switch its workers to nobody, who cannot write into the test's temp folder, so the
 * configuration says {@code user root;} when the test runs as root.
 */
class AccessLogMetricsIT {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path prefix;
    private Process nginx;
    private final List<HttpServer> upstreams = new ArrayList<>();
    private AccessLogTailer tailer;

    @BeforeEach
    void requireNginx() {
        boolean present = Files.isExecutable(NGINX);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("nginx is not installed at " + NGINX + " (apt-get install nginx)");
        }
        Assumptions.assumeTrue(present, "nginx is not installed at " + NGINX);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (tailer != null) {
            tailer.close();
        }
        if (nginx != null) {
            nginx.destroy(); // SIGTERM to our own master (by its handle): it ends its workers
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        upstreams.forEach(s -> s.stop(0));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** An upstream that answers 500 for paths containing "fail" and 200 otherwise. */
    private int upstream(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().contains("fail") ? 500 : 200;
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        upstreams.add(server);
        return server.getAddress().getPort();
    }

    private String config(int port, int upstreamA, int upstreamB) {
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        return user + """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 256; }
                http {
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    log_format %2$s escape=json '%3$s';
                    access_log %1$s/logs/access.json %2$s;
                    server {
                        listen 127.0.0.1:%4$d;
                        set $orchestry_route "";
                        set $orchestry_app "";
                        location /a/ {
                            set $orchestry_route "route-a";
                            set $orchestry_app "a";
                            proxy_pass http://127.0.0.1:%5$d;
                        }
                        location /b/ {
                            set $orchestry_route "route-b";
                            set $orchestry_app "b";
                            proxy_pass http://127.0.0.1:%6$d;
                        }
                        location / {
                            return 404;
                        }
                    }
                }
                """.formatted(prefix, AccessLogFormat.NAME, AccessLogFormat.LOG_FORMAT, port, upstreamA, upstreamB);
    }

    private void startNginx(int port, int upstreamA, int upstreamB) throws Exception {
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config(port, upstreamA, upstreamB));
        nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new AssertionError("nginx did not start: " + Files.readString(prefix.resolve("nginx.out"))
                            + (Files.exists(prefix.resolve("error.log")) ? Files.readString(prefix.resolve("error.log")) : ""));
                }
                Thread.sleep(20);
            }
        }
    }

    private static void send(HttpClient client, int port, String path, int times, int expectedStatus) throws Exception {
        for (int i = 0; i < times; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expectedStatus, response.statusCode(), path);
        }
    }

    @Test
    void windows_requestsThroughNginx_countsEqualWhatWasSent() throws Exception {
        int port = freePort();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestWindows windows = new RequestWindows(Clock.systemUTC(), Duration.ofMinutes(5), () -> Set.of("a", "b", "idle"),
                Map.of("a", "shop", "b", "shop", "idle", "blog")::get, registry);
        // made before nginx writes its log: the file appears later and is read from its start
        tailer = new AccessLogTailer(prefix.resolve("logs").resolve("access.json"), windows, registry);
        tailer.start();
        startNginx(port, upstream("app a"), upstream("app b"));
        Instant start = Instant.now();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        send(client, port, "/a/ok", 30, 200);
        send(client, port, "/b/ok", 20, 200);
        send(client, port, "/b/fail", 10, 500);
        send(client, port, "/a/missing/fail", 7, 500);
        send(client, port, "/nowhere", 5, 404);
        long sent = 30 + 20 + 10 + 7 + 5;

        Instant deadline = Instant.now().plus(WAIT);
        while (tailer.records() < sent && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(sent, tailer.records(), "every request's line read");
        assertEquals(0, tailer.malformedLines());

        Duration length = Duration.between(start, Instant.now()).plusSeconds(10);
        Map<String, AppWindow> byApp = windows.window(Instant.now().plusSeconds(2), length).stream()
                .collect(Collectors.toMap(AppWindow::app, w -> w));
        assertEquals(Set.of("a", "b", "idle"), byApp.keySet());
        AppWindow a = byApp.get("a");
        assertEquals(37, a.requests());
        assertEquals(30, a.status2xx());
        assertEquals(7, a.status5xx());
        assertEquals(0, a.status3xx() + a.status4xx());
        assertEquals("shop", a.project());
        assertNotNull(a.p50());
        assertTrue(a.p99().compareTo(a.p50()) >= 0);
        AppWindow b = byApp.get("b");
        assertEquals(30, b.requests());
        assertEquals(20, b.status2xx());
        assertEquals(10, b.status5xx());
        assertEquals(0, byApp.get("idle").requests());

        assertEquals(30, registry.get("orchestry.proxy.requests").tags("app", "a", "status_class", "2xx").counter().count());
        assertEquals(10, registry.get("orchestry.proxy.requests").tags("app", "b", "status_class", "5xx").counter().count());
        assertEquals(5, registry.get("orchestry.proxy.requests.unrouted").tag("status_class", "4xx").counter().count());
        assertEquals(37, registry.get("orchestry.proxy.request.duration").tags("app", "a", "project", "shop").timer().count());
    }

    @Test
    void windows_logRotatedAndReopened_everyRequestCountedOnce() throws Exception {
        int port = freePort();
        RequestWindows windows = new RequestWindows(Clock.systemUTC(), Duration.ofMinutes(5), Set::of, app -> "shop", null);
        Path log = prefix.resolve("logs").resolve("access.json");
        tailer = new AccessLogTailer(log, windows, null);
        tailer.start();
        startNginx(port, upstream("app a"), upstream("app b"));
        Instant start = Instant.now();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        send(client, port, "/a/ok", 15, 200);
        // the tailer must have opened the file before it is renamed (it follows an open file, it cannot guess a
        // rotated name): wait for its reads, as a logrotate long after the start would find it
        awaitRecords(15);
        Files.move(log, log.resolveSibling("access.json.1")); // logrotate: rename, then tell nginx to reopen
        send(client, port, "/a/ok", 5, 200); // still written to the renamed file
        awaitRecords(20);
        Process reopen = new ProcessBuilder("kill", "-USR1", Long.toString(nginx.pid())).inheritIO().start();
        assertEquals(0, reopen.waitFor());
        Instant deadline = Instant.now().plus(WAIT);
        while (!Files.exists(log) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(log), "nginx reopened its log");
        send(client, port, "/b/ok", 12, 200);
        send(client, port, "/b/fail", 3, 500);

        while (tailer.records() < 35 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // a few more polls: nothing is read twice
        assertEquals(35, tailer.records());
        Map<String, AppWindow> byApp = windows.window(Instant.now().plusSeconds(2),
                        Duration.between(start, Instant.now()).plusSeconds(10)).stream()
                .collect(Collectors.toMap(AppWindow::app, w -> w));
        assertEquals(20, byApp.get("a").requests());
        assertEquals(15, byApp.get("b").requests());
        assertEquals(3, byApp.get("b").status5xx());
    }

    private void awaitRecords(long count) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (tailer.records() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(count, tailer.records(), "the tailer read every line written so far");
    }
}
