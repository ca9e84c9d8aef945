package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.gateway.fake.FakeProvisioner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/v1/apps/{app}/logs}: a tail as JSON, and with follow a stream of server-sent events that ends the provisioner's stream when the client goes away. */
@MicronautTest(transactional = false)
class AppLogsApiTest extends RestApiTest {
    private final FakeProvisioner fake = FakeProvisioner.shared();

    @BeforeAll
    void app() throws Exception {
        send("POST", "/api/v1/organizations", "{\"name\": \"" + AppApiTest.ORG + "\"}", Map.of());
        send("POST", "/api/v1/organizations/" + AppApiTest.ORG + "/projects", "{\"name\": \"" + AppApiTest.PROJECT + "\"}", Map.of());
        HttpResponse<String> created = send("POST", "/api/v1/apps", AppApiTest.app("web-logs", 1), Map.of());
        assertEquals(201, created.statusCode(), created.body());
    }

    @Test
    void tail_isJsonLines_oldestFirst() throws Exception {
        String id = fake.instanceIds("web-logs").get(0);
        fake.logs().write("web-logs", id, "tail one");
        fake.logs().write("web-logs", id, "tail two");
        HttpResponse<String> response = send("GET", "/api/v1/apps/web-logs/logs?tail=2", null, Map.of());
        assertEquals(200, response.statusCode(), response.body());
        List<Map<String, Object>> lines = AppApiTest.items(parse(response));
        assertEquals(List.of("tail one", "tail two"), lines.stream().map(l -> l.get("text")).toList());
        assertEquals("stdout", lines.get(0).get("stream"));
        assertEquals(id, lines.get(0).get("instanceId"));

        HttpResponse<String> negative = send("GET", "/api/v1/apps/web-logs/logs?tail=-1", null, Map.of());
        assertProblem(negative, 400, "INVALID_ARGUMENT");
        assertEquals(List.of("tail"), errorFields(negative));
        assertProblem(send("GET", "/api/v1/apps/web-logs/logs?instance=nobody", null, Map.of()), 404, "NOT_FOUND");
        assertProblem(send("GET", "/api/v1/apps/nothing/logs", null, Map.of()), 404, "NOT_FOUND");
    }

    @Test
    void follow_streamsEachLineAsAnEvent_andClosingTheClientEndsTheProvisionersStream() throws Exception {
        String id = fake.instanceIds("web-logs").get(0);
        fake.logs().write("web-logs", id, "before follow");
        int cancelledBefore = fake.logs().cancelled();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/apps/web-logs/logs?follow=true&tail=1"))
                .header("Authorization", "Bearer " + RunningRegistry.BOOTSTRAP_TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                stream.body().forEach(lines::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        }, "log-reader");
        reader.setDaemon(true);
        reader.start();
        assertTrue(next(lines, "before follow").startsWith("data:"));
        await(() -> fake.logs().following() > 0, "the gateway follows the provisioner's stream");
        fake.logs().write("web-logs", id, "while following");
        assertTrue(next(lines, "while following").contains("\"instanceId\":\"" + id + "\""));

        stream.body().close();
        await(() -> fake.logs().cancelled() > cancelledBefore, "the provisioner's stream is cancelled when the client goes away");
    }

    private static String next(BlockingQueue<String> queue, String marker) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String line = queue.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(marker)) {
                return line;
            }
        }
        throw new AssertionError("no line with " + marker);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
