package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.gateway.events.EventHub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A change made through REST reaches an SSE subscriber and a WebSocket subscriber. */
@MicronautTest(transactional = false)
class EventsApiTest extends RestApiTest {
    @Inject
    EventHub hub;

    /** A token cache TTL longer than any wait here: a stream that ends on revoke ends through the revocation itself. */
    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new java.util.HashMap<>(super.getProperties());
        properties.put("orchestry.gateway.auth.cache-ttl", "10m");
        return properties;
    }

    @Test
    void nodeChanges_reachSseAndWebSocketSubscribers() throws Exception {
        BlockingQueue<String> sse = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/events?kind=node"))
                .header("Authorization", "Bearer " + RunningRegistry.BOOTSTRAP_TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Thread reader = new Thread(() -> stream.body().forEach(sse::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        BlockingQueue<String> ws = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + RunningRegistry.BOOTSTRAP_TOKEN)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.getPort() + "/api/v1/ws?kind=node"), collector(ws))
                .get(30, TimeUnit.SECONDS);

        awaitFollowing();
        assertEquals(201, send("POST", "/api/v1/nodes", """
                {"name": "ev-node-1", "driverKind": "process", "capacity": {"cpuMillis": 1000, "memoryBytes": 1073741824}}""",
                Map.of()).statusCode());
        assertEquals(200, send("POST", "/api/v1/nodes/ev-node-1/cordon", "{}", Map.of()).statusCode());

        String added = next(sse, "\"name\":\"ev-node-1\"");
        assertTrue(added.startsWith("data:") && added.contains("\"type\":\"added\"") && added.contains("\"kind\":\"node\""), added);
        String cordoned = next(sse, "\"schedulingMode\":\"cordoned\"");
        assertTrue(cordoned.contains("\"type\":\"modified\""), cordoned);

        assertTrue(next(ws, "\"name\":\"ev-node-1\"").contains("\"type\":\"added\""));
        assertTrue(next(ws, "\"schedulingMode\":\"cordoned\"").contains("\"type\":\"modified\""));
        socket.abort();
        stream.body().close();
    }

    @Test
    void streams_needAToken_andTakeItFromTheQueryForBrowsers() throws Exception {
        assertProblem(sendAs(null, "GET", "/api/v1/events", null), 401, "UNAUTHENTICATED");
        HttpResponse<Stream<String>> withQueryToken = http.send(HttpRequest.newBuilder(
                URI.create(base() + "/api/v1/events?access_token=" + RunningRegistry.BOOTSTRAP_TOKEN)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, withQueryToken.statusCode());
        withQueryToken.body().close();

        CompletionException refused = assertThrows(CompletionException.class, () -> http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.getPort() + "/api/v1/ws"), collector(new LinkedBlockingQueue<>()))
                .join());
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException, refused.toString());
        assertEquals(401, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void aStream_endsWhenItsTokenIsRevoked() throws Exception {
        Map<String, Object> token = parse(send("POST", "/api/v1/tokens", "{\"name\": \"watcher\", \"role\": \"viewer\"}", Map.of()));
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/events"))
                .header("Authorization", "Bearer " + token.get("secret")).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try {
                stream.body().forEach(line -> { });
            } catch (java.io.UncheckedIOException closed) {
                // the server ended the stream
            }
        });
        assertEquals(204, send("DELETE", "/api/v1/tokens/" + token.get("id"), null, Map.of()).statusCode());
        ended.get(30, TimeUnit.SECONDS); // at once, not at the next periodic check (10 min here)
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private void awaitFollowing() throws InterruptedException {
        for (int i = 0; i < 300 && !hub.following(); i++) {
            Thread.sleep(100);
        }
        assertTrue(hub.following(), "the gateway follows the registry's node watch");
    }

    /** The next message containing {@code marker}, skipping others; fails after 30 s. */
    private static String next(BlockingQueue<String> queue, String marker) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String line = queue.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(marker)) {
                return line;
            }
        }
        throw new AssertionError("no message with " + marker);
    }

    private static WebSocket.Listener collector(BlockingQueue<String> into) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    into.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
