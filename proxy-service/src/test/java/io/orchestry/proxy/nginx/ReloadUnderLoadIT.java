package io.orchestry.proxy.nginx;

import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 200 reloads in a row while 4 keep-alive clients send a bounded load: not one request may fail. */
class ReloadUnderLoadIT {
    private static final int RELOADS = 200;
    private static final int CLIENTS = 4;
    /** Each client waits this long between requests: at most 4 x 50 = 200 requests/s. */
    private static final Duration PAUSE = Duration.ofMillis(20);

    @TempDir
    Path state;
    private ManagedNginx nginx;
    private TestUpstream upstream;

    @AfterEach
    void tearDown() {
        if (nginx != null) {
            nginx.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void reload_200TimesUnderSteadyLoad_noRequestFails() throws Exception {
        NginxBinary binary = NginxTests.binary();
        NginxSettings settings = NginxTests.settings(state, NginxTests.freePort());
        upstream = new TestUpstream("app");
        Path config = StateFolder.write(state.resolve("nginx.conf"), new TestRenderer().render(new ProxyModel(settings,
                List.of(new RoutePlan(NginxTests.route("r-1", "app", "/"), List.of(upstream.endpoint()), null, null)))));
        nginx = NginxTests.managed(binary, settings, state);
        nginx.start(config);

        URI uri = URI.create("http://127.0.0.1:" + settings.httpPort() + "/");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200 && "app".equals(response.body())) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                        Thread.sleep(PAUSE.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, "load-" + i);
            clients.add(thread);
            thread.start();
        }
        int reloads = 0;
        int okBefore;
        try {
            NginxTests.await("the load to run", () -> ok.get() > 20);
            okBefore = ok.get();
            for (; reloads < RELOADS; reloads++) {
                nginx.reload();
            }
        } finally {
            running.set(false);
            for (Thread thread : clients) {
                thread.join(10_000);
            }
        }
        assertEquals(RELOADS, reloads);
        assertEquals(List.of(), List.copyOf(failures), "failed requests during the reloads");
        assertTrue(ok.get() - okBefore > RELOADS, "the load ran throughout: " + (ok.get() - okBefore) + " requests");
    }
}
