package io.orchestry.proxy.balancer;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.domain.UpstreamKey;
import io.orchestry.proxy.render.NginxConfigRenderer;
import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;
import io.orchestry.proxy.testing.EchoServer;
import io.orchestry.proxy.testing.NginxTestServer;
import io.orchestry.proxy.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replica changes through the Lua balancer of a real nginx, with no reload: the master keeps the same workers while
 * pushes add, remove and empty upstreams.
 */
class LuaBalancerIT {
    private static final UpstreamKey WEB = new UpstreamKey("web", "http");
    private static final UpstreamKey STICKY = new UpstreamKey("sticky", "http");
    private static final UpstreamKey LEAST = new UpstreamKey("least", "http");
    private static final Map<UpstreamKey, LoadBalancing> METHODS = Map.of(
            WEB, LoadBalancing.ROUND_ROBIN, STICKY, LoadBalancing.IP_HASH, LEAST, LoadBalancing.LEAST_CONN);

    private static Path prefix;
    private static EchoServer a;
    private static EchoServer b;
    private static EchoServer c;
    private static NginxTestServer nginx;
    private static LuaBalancer balancer;
    private static int httpPort;
    private static int controlPort;
    private static Set<Long> workersAtStart;

    @BeforeAll
    static void startNginx() throws IOException {
        NginxTestServer.requireLua();
        prefix = NginxTestServer.newPrefix("lua-balancer");
        a = EchoServer.start("a");
        b = EchoServer.start("b");
        c = EchoServer.start("c");
        httpPort = NginxTestServer.freePort();
        controlPort = NginxTestServer.freePort();
        NginxSettings settings = new NginxSettings("127.0.0.1", httpPort, 0, true, controlPort, prefix.resolve("lua"),
                prefix.resolve("logs/access.log"), prefix.resolve("logs/error.log"), prefix.resolve("nginx.pid"),
                prefix.resolve("temp"), 2, Duration.ofSeconds(5), "probe-token-lua-balancer");
        Files.createDirectories(prefix.resolve("temp"));
        BalancerModule.writeTo(prefix.resolve("lua"));
        List<RoutePlan> routes = List.of(
                plan("r-web", WEB, "/"), plan("r-sticky", STICKY, "/sticky"), plan("r-least", LEAST, "/least"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, new NginxConfigRenderer().render(new ProxyModel(settings, routes)));
        nginx = NginxTestServer.start(prefix, conf, httpPort, controlPort);
        workersAtStart = nginx.workerPids();
        balancer = new LuaBalancer(controlPort, "probe-token-lua-balancer", Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (nginx != null) {
                nginx.close();
            }
        } finally {
            for (EchoServer echo : new EchoServer[] {a, b, c}) {
                if (echo != null) {
                    echo.close();
                }
            }
            if (prefix != null) {
                try (Stream<Path> walk = Files.walk(prefix)) {
                    for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    @Test
    void push_oneEndpoint_everyRequestReachesIt() {
        balancer.push(Map.of(WEB, List.of(endpoint(a))), METHODS);
        assertEquals(Set.of("a"), names("/", 10));
    }

    @Test
    void push_endpointAdded_bothServedWithTheSameWorkers() {
        balancer.push(Map.of(WEB, List.of(endpoint(a))), METHODS);
        assertEquals(Set.of("a"), names("/", 6));
        balancer.push(Map.of(WEB, List.of(endpoint(a), endpoint(b))), METHODS);
        assertEquals(Set.of("a", "b"), names("/", 20));
        assertEquals(workersAtStart, nginx.workerPids(), "no worker was recycled: the change needed no reload");
    }

    @Test
    void push_endpointRemoved_noLongerReached() {
        balancer.push(Map.of(WEB, List.of(endpoint(a), endpoint(b))), METHODS);
        assertEquals(Set.of("a", "b"), names("/", 20));
        balancer.push(Map.of(WEB, List.of(endpoint(a))), METHODS);
        assertEquals(Set.of("a"), names("/", 20));
        assertEquals(workersAtStart, nginx.workerPids());
    }

    @Test
    void push_emptySet_routesAnswer503() {
        balancer.push(Map.of(), METHODS);
        RawHttp.Response response = RawHttp.get(httpPort, "any.example.com", "/x");
        assertEquals(503, response.status());
        assertEquals("no healthy instance", response.body().strip());
        assertEquals("", balancer.dump());
        balancer.push(Map.of(WEB, List.of(endpoint(a))), METHODS);
        assertEquals(Set.of("a"), names("/", 3), "served again after the next push");
    }

    @Test
    void ipHash_sameClient_alwaysTheSameEndpoint() {
        balancer.push(Map.of(STICKY, List.of(endpoint(a), endpoint(b), endpoint(c))), METHODS);
        assertEquals(1, names("/sticky/x", 20).size());
    }

    @Test
    void leastConn_twoEndpoints_bothServed() {
        balancer.push(Map.of(LEAST, List.of(endpoint(a), endpoint(b))), METHODS);
        assertEquals(Set.of("a", "b"), names("/least", 20));
    }

    @Test
    void deadEndpoint_retriedThenSkipped_noFailedRequest() throws IOException {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        Endpoint closed = new Endpoint("127.0.0.1", dead, "i-dead");
        balancer.push(Map.of(WEB, List.of(endpoint(a), closed)), METHODS);
        int requests = 40;
        assertEquals(Set.of("a"), names("/", requests), "every request answered by the live endpoint");
        long connectFailures;
        try (Stream<String> lines = Files.lines(prefix.resolve("logs/error.log"))) {
            connectFailures = lines.filter(l -> l.contains("connect() failed") && l.contains(":" + dead)).count();
        }
        assertTrue(connectFailures >= 1 && connectFailures < requests / 4,
                "the dead endpoint is skipped after failures, not tried every other request: " + connectFailures);
    }

    @Test
    void dump_afterPush_holdsThePushedSet() {
        balancer.push(Map.of(WEB, List.of(endpoint(a), endpoint(b)), STICKY, List.of(endpoint(c))), METHODS);
        assertEquals("sticky__http ip_hash " + c.address() + "\n"
                + "web__http round_robin " + a.address() + " " + b.address() + "\n", balancer.dump());
    }

    @Test
    void controlServer_badLine_refusedAndNothingChanges() throws Exception {
        balancer.push(Map.of(WEB, List.of(endpoint(a))), METHODS);
        String before = balancer.dump();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(balancerUri())
                .header(LuaBalancer.CONTROL_HEADER, "probe-token-lua-balancer")
                .PUT(HttpRequest.BodyPublishers.ofString("web__http round_robin 127.0.0.1:1;evil\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertEquals(before, balancer.dump());
        HttpResponse<String> untokened = client.send(HttpRequest.newBuilder(balancerUri())
                .PUT(HttpRequest.BodyPublishers.ofString("web__http round_robin 127.0.0.1:1\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, untokened.statusCode(), "another local process without the token is refused");
        assertEquals(before, balancer.dump());
    }

    private static URI balancerUri() {
        return URI.create("http://127.0.0.1:" + controlPort + "/upstreams");
    }

    /** The echo servers that answered {@code count} requests (each must answer 200). */
    private static Set<String> names(String path, int count) {
        Set<String> names = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawHttp.Response response = RawHttp.get(httpPort, "any.example.com", path);
            if (response.status() != 200) {
                failures.add(response.status() + " " + response.body().strip());
            } else {
                names.add(response.header(EchoServer.NAME_HEADER));
            }
        }
        assertTrue(failures.isEmpty(), "failed requests: " + failures + "\n" + tail());
        return names;
    }

    private static String tail() {
        String logs = nginx.logs();
        return logs.substring(Math.max(0, logs.length() - 3000));
    }

    private static RoutePlan plan(String id, UpstreamKey key, String path) {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Route route = new Route(id, key.app(), "demo", List.of(), path, false, key.portName(), null,
                METHODS.get(key), RouteTimeouts.DEFAULTS, false, t0, t0, 1);
        return new RoutePlan(route, List.of(), null, null);
    }

    private static Endpoint endpoint(EchoServer server) {
        return new Endpoint("127.0.0.1", server.port(), "i-" + server.name());
    }
}
