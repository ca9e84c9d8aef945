package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.gateway.events.EventHub;
import io.orchestry.gateway.fake.FakeProvisioner;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Database and backup events (the hub's poll) reach an SSE subscriber of the database's organization, and no one else's. */
@MicronautTest(transactional = false)
class DatabaseEventsApiTest extends RestApiTest {
    @Inject
    EventHub hub;

    @Test
    void databaseAndBackupEvents_reachTheirOrganizationsViewer_only() throws Exception {
        for (String org : List.of("dbev-acme", "dbev-other")) {
            assertEquals(201, send("POST", "/api/v1/organizations", "{\"name\": \"" + org + "\"}", Map.of()).statusCode());
            assertEquals(201, send("POST", "/api/v1/organizations/" + org + "/projects", "{\"name\": \"" + org + "-web\"}",
                    Map.of()).statusCode());
        }
        String viewer = (String) parse(send("POST", "/api/v1/tokens", "{\"name\": \"dbev\", \"role\": \"viewer\","
                + " \"organization\": \"dbev-acme\"}", Map.of())).get("secret");
        BlockingQueue<String> sse = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort()
                        + "/api/v1/events?kind=database,backup")).header("Authorization", "Bearer " + viewer).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Thread reader = new Thread(() -> {
            try {
                stream.body().forEach(sse::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        try {
            for (int i = 0; i < 300 && !hub.pollingDatabases(); i++) {
                Thread.sleep(100);
            }
            assertTrue(hub.pollingDatabases(), "the gateway has polled the provisioner's databases once");

            String theirs = backUp("dbev-other-web");
            FakeProvisioner.shared().databases().finishBackup(theirs, false, "their dump is empty");
            String ours = backUp("dbev-acme-web");
            FakeProvisioner.shared().databases().finishBackup(ours, true, "");

            String ready = next(sse, "\"kind\":\"database\"", seen);
            assertTrue(ready.contains("\"type\":\"ready\"") && ready.contains("\"name\":\"dbev-acme-web\"")
                    && ready.contains("\"organization\":\"dbev-acme\""), ready);
            String verified = next(sse, "\"kind\":\"backup\"", seen);
            assertTrue(verified.contains("\"type\":\"verified\"") && verified.contains("\"name\":\"" + ours + "\""), verified);
            assertFalse(String.join("\n", seen).contains("dbev-other"), "another organization's events: " + seen);
        } finally {
            stream.body().close();
        }
    }

    private String backUp(String project) throws Exception {
        assertEquals(201, send("POST", "/api/v1/databases", "{\"project\": \"" + project + "\", \"password\": \"ev-secret-1\"}",
                Map.of()).statusCode());
        HttpResponse<String> backup = send("POST", "/api/v1/databases/" + project + "/backups", null, Map.of());
        assertEquals(201, backup.statusCode(), backup.body());
        return (String) parse(backup).get("id");
    }

    private static String next(BlockingQueue<String> queue, String marker, List<String> seen) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String line = queue.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                assertFalse(line.contains("ev-secret-1"), line);
                if (line.contains(marker)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no event with " + marker + " in " + seen);
    }
}
