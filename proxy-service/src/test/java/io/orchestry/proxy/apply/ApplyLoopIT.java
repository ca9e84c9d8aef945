package io.orchestry.proxy.apply;

import io.orchestry.controlloop.SoloLeadership;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.nginx.ManagedNginx;
import io.orchestry.proxy.nginx.NginxBinary;
import io.orchestry.proxy.nginx.NginxTests;
import io.orchestry.proxy.nginx.TestRenderer;
import io.orchestry.proxy.nginx.TestUpstream;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop on its own threads with the real nginx: startup starts nginx, a route change is applied and served. */
class ApplyLoopIT {
    @TempDir
    Path state;
    private ManagedNginx nginx;
    private ApplyLoop loop;
    private TestUpstream a;
    private TestUpstream b;
    private SoloLeadership leadership;

    @AfterEach
    void tearDown() {
        if (loop != null) {
            loop.close();
        }
        if (leadership != null) {
            leadership.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void loop_startupThenRouteChange_nginxStartedAndChangeServed() throws Exception {
        NginxBinary binary = NginxTests.binary();
        NginxSettings settings = NginxTests.settings(state, NginxTests.freePort());
        a = new TestUpstream("a");
        b = new TestUpstream("b");
        AtomicReference<List<RoutePlan>> routes = new AtomicReference<>(List.of(plan("r-a", "/a", a)));
        InMemoryRevisions revisions = new InMemoryRevisions();
        List<ProxyState> published = new CopyOnWriteArrayList<>();
        nginx = NginxTests.managed(binary, settings, state);
        NginxApplier applier = new NginxApplier(nginx, state, new RouteProber("127.0.0.1", settings.httpPort(), 0,
                NginxTests.TOKEN, Duration.ofSeconds(2)));
        leadership = new SoloLeadership("proxy-service", "test/1");
        loop = new ApplyLoop(() -> new ProxyModel(settings, routes.get()), new TestRenderer(), revisions, applier,
                nginx, leadership, published::add,
                new ApplyLoop.Settings("MANAGED", applier.configPath(), Duration.ofMillis(50)), Clock.systemUTC());
        loop.start();

        NginxTests.await("the startup revision", () -> revisions.current().isPresent());
        assertEquals(RevisionTrigger.STARTUP, revisions.current().get().trigger());
        assertEquals("200 a", get(settings, "/a"));

        routes.set(List.of(plan("r-a", "/a", a), plan("r-b", "/b", b)));
        Revision second = loop.request(RevisionTrigger.ROUTE_CHANGE, "add r-b").get(20, TimeUnit.SECONDS);
        assertEquals(RevisionOutcome.APPLIED, second.outcome(), second.error());
        assertEquals("200 b", get(settings, "/b"));

        ProxyState now = loop.now();
        assertEquals("RUNNING", now.state());
        assertEquals(second.number(), now.currentRevision());
        assertEquals(2, now.routeCount());
        assertEquals(2, now.upstreamServerCount());
        assertTrue(now.generations() >= 1, "generations " + now.generations());
        assertFalse(published.isEmpty());
    }

    private static RoutePlan plan(String id, String path, TestUpstream upstream) {
        return new RoutePlan(NginxTests.route(id, upstream.name(), path), List.of(upstream.endpoint()), null, null);
    }

    private static String get(NginxSettings settings, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
