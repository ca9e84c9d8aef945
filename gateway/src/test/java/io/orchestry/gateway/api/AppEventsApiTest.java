package io.orchestry.gateway.api;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.gateway.events.EventHub;
import io.orchestry.gateway.fake.FakeProvisioner;
import io.orchestry.provisioner.v1.DeploymentState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Instance changes (the provisioner's watch) and rollouts (the hub's poll) reach an SSE subscriber. */
@MicronautTest(transactional = false)
class AppEventsApiTest extends RestApiTest {
    @Inject
    EventHub hub;

    @Test
    void instanceChanges_andRollouts_reachSseSubscribers() throws Exception {
        send("POST", "/api/v1/organizations", "{\"name\": \"" + AppApiTest.ORG + "\"}", Map.of());
        send("POST", "/api/v1/organizations/" + AppApiTest.ORG + "/projects", "{\"name\": \"" + AppApiTest.PROJECT + "\"}", Map.of());
        BlockingQueue<String> sse = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort()
                        + "/api/v1/events?kind=instance,deployment&app=web-ev"))
                .header("Authorization", "Bearer " + RunningRegistry.BOOTSTRAP_TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
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
        try {
            await(hub::followingInstances, "the gateway follows the provisioner's instance watch");
            await(hub::pollingDeployments, "the gateway has polled the provisioner's rollouts once");

            HttpResponse<String> created = send("POST", "/api/v1/apps", AppApiTest.app("web-ev", 1), Map.of());
            assertEquals(201, created.statusCode(), created.body());
            String deployment = (String) AppApiTest.map(parse(created).get("deployment")).get("id");

            String added = next(sse, "\"kind\":\"instance\"");
            assertTrue(added.contains("\"type\":\"added\"") && added.contains("\"app\":\"web-ev\"")
                    && added.contains("\"organization\":\"" + AppApiTest.ORG + "\"") && added.contains("\"health\":\"healthy\""), added);
            String started = next(sse, "\"type\":\"started\"");
            assertTrue(started.contains("\"kind\":\"deployment\"") && started.contains("\"name\":\"" + deployment + "\""), started);

            FakeProvisioner.shared().finish(deployment, DeploymentState.DEPLOYMENT_STATE_SUCCEEDED);
            String succeeded = next(sse, "\"type\":\"succeeded\"");
            assertTrue(succeeded.contains("\"state\":\"succeeded\""), succeeded);

            assertEquals(200, send("POST", "/api/v1/apps/web-ev/scale", "{\"replicas\": 0}", Map.of()).statusCode());
            assertTrue(next(sse, "\"type\":\"deleted\"").contains("\"kind\":\"instance\""));
        } finally {
            stream.body().close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    private static String next(BlockingQueue<String> queue, String marker) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String line = queue.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(marker)) {
                return line;
            }
        }
        throw new AssertionError("no event with " + marker);
    }
}
