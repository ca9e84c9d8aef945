package io.orchestry.proxy.apply;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NginxApplierIT {
    @TempDir
    Path state;
    private final InMemoryRevisions revisions = new InMemoryRevisions();
    private final TestRenderer renderer = new TestRenderer();
    private final HttpClient client = HttpClient.newHttpClient();
    private ManagedNginx nginx;
    private NginxApplier applier;
    private NginxSettings settings;
    private TestUpstream a;
    private TestUpstream b;
    private Revision first;

    @BeforeEach
    void setUp() {
        NginxBinary binary = NginxTests.binary();
        settings = NginxTests.settings(state, NginxTests.freePort());
        a = new TestUpstream("a");
        b = new TestUpstream("b");
        nginx = NginxTests.managed(binary, settings, state);
        applier = new NginxApplier(nginx, state, new RouteProber("127.0.0.1", settings.httpPort(), 0, NginxTests.TOKEN,
                Duration.ofSeconds(2)));
        RoutePlan routeA = plan("r-a", "/a", a);
        first = revision(config(List.of(routeA)));
        ApplyOutcome outcome = applier.apply(Optional.empty(), first, List.of(RouteProbe.of(routeA)));
        assertEquals(ApplyOutcome.applied(), outcome);
        first = revisions.finish(first.number(), RevisionOutcome.APPLIED, "");
    }

    @AfterEach
    void tearDown() {
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

    private static RoutePlan plan(String id, String path, TestUpstream upstream) {
        return new RoutePlan(NginxTests.route(id, upstream.name(), path), List.of(upstream.endpoint()), null, null);
    }

    private String config(List<RoutePlan> plans) {
        return renderer.render(new ProxyModel(settings, plans));
    }

    private Revision revision(String config) {
        return revisions.create(config, ApplyLoop.sha256(config), RevisionTrigger.ROUTE_CHANGE, "test");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private String current() throws Exception {
        return Files.readSymbolicLink(state.resolve("current")).toString();
    }

    @Test
    void apply_goodChange_appliedAndServed() throws Exception {
        RoutePlan routeB = plan("r-b", "/b", b);
        Revision second = revision(config(List.of(plan("r-a", "/a", a), routeB)));
        assertEquals(ApplyOutcome.applied(), applier.apply(Optional.of(first), second, List.of(RouteProbe.of(routeB))));
        assertEquals("200 a", get("/a"));
        assertEquals("200 b", get("/b"));
        assertEquals("revisions/2", current());
    }

    @Test
    void apply_configRefusedByNginxTest_rejectedAndOldOneServes() throws Exception {
        Set<Long> workers = nginx.workerPids();
        Revision bad = revision(config(List.of(plan("r-a", "/a", a))).replace("server_name _;",
                "server_name _; no_such_directive on;"));
        ApplyOutcome outcome = applier.apply(Optional.of(first), bad, List.of());
        assertEquals(RevisionOutcome.REJECTED_BY_NGINX_TEST, outcome.outcome());
        assertTrue(outcome.error().contains("no_such_directive"), outcome.error());
        assertEquals("revisions/1", current());
        assertEquals(workers, nginx.workerPids(), "the running nginx was not touched");
        assertEquals("200 a", get("/a"));
    }

    @Test
    void apply_probeFailsOnClosedPort_rolledBackWhileTrafficContinues() throws Exception {
        int closed = NginxTests.freePort();
        RoutePlan broken = new RoutePlan(NginxTests.route("r-b", "b", "/b"),
                List.of(new io.orchestry.proxy.domain.Endpoint("127.0.0.1", closed, "i-gone")), null, null);
        Revision second = revision(config(List.of(plan("r-a", "/a", a), broken)));
        AtomicInteger served = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && failure.get() == null) {
                try {
                    String answer = get("/a");
                    if (!"200 a".equals(answer)) {
                        failure.set(answer);
                    }
                    served.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failure.set(e.toString());
                }
            }
        }, "load");
        load.start();
        ApplyOutcome outcome;
        try {
            NginxTests.await("some load", () -> served.get() > 10);
            outcome = applier.apply(Optional.of(first), second, List.of(RouteProbe.of(broken)));
            int after = served.get();
            NginxTests.await("load after the rollback", () -> served.get() > after + 10);
        } finally {
            load.interrupt();
            load.join(10_000);
        }
        assertEquals(RevisionOutcome.ROLLED_BACK, outcome.outcome());
        assertTrue(outcome.error().contains("r-b") && outcome.error().contains("502"), outcome.error());
        assertEquals(null, failure.get(), "requests through the old route failed during the rollback");
        assertEquals("revisions/1", current());
        assertEquals("404", get("/b").substring(0, 3), "the rolled back route is gone again");
    }

    @Test
    void apply_probeHeaderMissing_rolledBack() throws Exception {
        RoutePlan routeB = plan("r-b", "/b", b);
        Revision second = revision(config(List.of(plan("r-a", "/a", a), routeB))
                .replace("set $orchestry_route r-b;", "set $orchestry_route r-other;"));
        ApplyOutcome outcome = applier.apply(Optional.of(first), second, List.of(RouteProbe.of(routeB)));
        assertEquals(RevisionOutcome.ROLLED_BACK, outcome.outcome());
        assertTrue(outcome.error().contains("r-other"), outcome.error());
        assertEquals("revisions/1", current());
        assertEquals("200 a", get("/a"));
    }

    @Test
    void apply_reloadCannotBindPort_reloadFailedAndOldOneServes() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String config = config(List.of(plan("r-a", "/a", a))).replace("  server {\n",
                    "  server { listen 127.0.0.1:" + taken.getLocalPort() + "; return 204; }\n  server {\n");
            Revision second = revision(config);
            ApplyOutcome outcome = applier.apply(Optional.of(first), second, List.of());
            assertEquals(RevisionOutcome.RELOAD_FAILED, outcome.outcome());
            assertTrue(outcome.error().contains("bind()"), outcome.error());
            assertTrue(outcome.error().contains("restored revision 1"), outcome.error());
        }
        assertEquals("revisions/1", current());
        assertEquals("200 a", get("/a"));
    }

    @Test
    void apply_manyRevisions_keepsTheNewestFolders() throws Exception {
        Revision previous = first;
        for (int i = 0; i < NginxApplier.KEPT + 3; i++) {
            Revision next = revision(config(List.of(plan("r-a", "/a", a))) + "# " + i + "\n");
            assertEquals(ApplyOutcome.applied(), applier.apply(Optional.of(previous), next, List.of()));
            previous = revisions.finish(next.number(), RevisionOutcome.APPLIED, "");
        }
        try (var folders = Files.list(state.resolve("revisions"))) {
            assertEquals(NginxApplier.KEPT, folders.count());
        }
        assertTrue(Files.isRegularFile(applier.configPath()));
        assertEquals("200 a", get("/a"));
    }
}
