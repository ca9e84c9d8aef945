package io.orchestry.proxy.render;

import io.orchestry.proxy.balancer.BalancerModule;
import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.testing.EchoServer;
import io.orchestry.proxy.testing.NginxTestServer;
import io.orchestry.proxy.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.orchestry.proxy.render.RenderFixtures.plan;
import static io.orchestry.proxy.render.RenderFixtures.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rendered configurations against the real nginx: each golden scenario passes {@code nginx -t}, and routing works. */
class RenderedConfigIT {
    private final NginxConfigRenderer renderer = new NginxConfigRenderer();

    @ParameterizedTest
    @EnumSource(RenderFixtures.Scenario.class)
    void nginxTest_goldenScenarioWithRealPaths_passes(RenderFixtures.Scenario scenario) throws Exception {
        if (scenario.lua) {
            NginxTestServer.requireLua();
        } else {
            NginxTestServer.requireNginx();
        }
        Path prefix = NginxTestServer.newPrefix("rendered-" + scenario.name());
        try {
            RenderFixtures.Paths paths = paths(prefix);
            Path conf = write(prefix, renderer.render(scenario.model(paths)));
            NginxTestServer.Result result = NginxTestServer.test(prefix, conf);
            assertTrue(result.ok(), scenario + ": " + result.output());
        } finally {
            delete(prefix);
        }
    }

    @Test
    void routing_hostsPathsStripDefaultAndMissing_reachTheRightApp() throws Exception {
        NginxTestServer.requireNginx();
        Path prefix = NginxTestServer.newPrefix("rendered-routing");
        try (EchoServer shop = EchoServer.start("shop"); EchoServer api = EchoServer.start("api");
             EchoServer landing = EchoServer.start("landing")) {
            RenderFixtures.Paths paths = paths(prefix);
            List<RoutePlan> routes = List.of(
                    plan(route("r-1", "shop", List.of("shop.example.com"), "/", false, LoadBalancing.ROUND_ROBIN,
                            RouteTimeouts.DEFAULTS, false), endpoint(shop)),
                    plan(route("r-2", "api", List.of("shop.example.com"), "/api.v1", true, LoadBalancing.LEAST_CONN,
                            new RouteTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)), false), endpoint(api)),
                    plan(route("r-3", "landing", List.of(), "/", false, LoadBalancing.ROUND_ROBIN,
                            RouteTimeouts.DEFAULTS, true), endpoint(landing)),
                    plan(route("r-4", "gone", List.of("gone.example.com"), "/", false, LoadBalancing.ROUND_ROBIN,
                            RouteTimeouts.DEFAULTS, false)));
            Path conf = write(prefix, renderer.render(new ProxyModel(RenderFixtures.settings(paths, false), routes)));
            try (NginxTestServer nginx = NginxTestServer.start(prefix, conf, paths.httpPort())) {
                int port = paths.httpPort();
                assertEquals("name=shop path=/cart host=shop.example.com", get(port, "shop.example.com", "/cart").body().strip());
                assertEquals("name=api path=/users?x=1 host=shop.example.com",
                        get(port, "shop.example.com", "/api.v1/users?x=1").body().strip());
                assertEquals("name=api path=/ host=shop.example.com", get(port, "shop.example.com", "/api.v1").body().strip());
                assertEquals("name=shop path=/api-v1/x host=shop.example.com",
                        get(port, "shop.example.com", "/api-v1/x").body().strip(), "a . in the prefix is literal");
                assertEquals("name=landing path=/x host=other.example.com",
                        get(port, "other.example.com", "/x").body().strip());
                assertEquals(503, get(port, "gone.example.com", "/").status());

                RawHttp.Response probed = RawHttp.get(port, "shop.example.com", "/a",
                        "X-Orchestry-Probe", RenderFixtures.TOKEN);
                assertEquals("r-1", probed.header("X-Orchestry-Route"));
                assertEquals(shop.address(), probed.header("X-Orchestry-Upstream"));
                RawHttp.Response unprobed = RawHttp.get(port, "shop.example.com", "/a",
                        "X-Orchestry-Probe", "guess-guess-guess");
                assertNull(unprobed.header("X-Orchestry-Route"), "no probe headers without the token");
                assertNull(unprobed.header("X-Orchestry-Upstream"));
                RawHttp.Response emptyProbe = RawHttp.get(port, "gone.example.com", "/",
                        "X-Orchestry-Probe", RenderFixtures.TOKEN);
                assertEquals("r-4", emptyProbe.header("X-Orchestry-Route"), "a 503 route still says which it is");
                assertTrue(Files.readString(prefix.resolve("logs/access.log")).contains("\"route\":\"r-2\",\"app\":\"api\""),
                        "the access log names route and app");
            }
        } finally {
            delete(prefix);
        }
    }

    @Test
    void tls_selfSignedRoutes_servedOverHttpsAndRedirected() throws Exception {
        NginxTestServer.requireNginx();
        Path prefix = NginxTestServer.newPrefix("rendered-tls");
        try (EchoServer secure = EchoServer.start("secure"); EchoServer both = EchoServer.start("both");
             EchoServer plain = EchoServer.start("plain")) {
            RenderFixtures.Paths paths = paths(prefix);
            List<RoutePlan> fixtures = RenderFixtures.tls(paths);
            List<EchoServer> echoes = List.of(secure, both, plain);
            List<RoutePlan> routes = new java.util.ArrayList<>();
            for (int i = 0; i < fixtures.size(); i++) {
                RoutePlan f = fixtures.get(i);
                routes.add(new RoutePlan(f.route(), List.of(endpoint(echoes.get(i))), f.certificateFile(), f.keyFile()));
            }
            Path conf = write(prefix, renderer.render(new ProxyModel(RenderFixtures.settings(paths, false), routes)));
            try (NginxTestServer nginx = NginxTestServer.start(prefix, conf, paths.httpPort(), paths.httpsPort())) {
                int http = paths.httpPort();
                int https = paths.httpsPort();
                RawHttp.Response redirected = get(http, "secure.example.com", "/a?b=1");
                assertEquals(301, redirected.status());
                assertEquals("https://secure.example.com:" + https + "/a?b=1", redirected.header("Location"));
                assertEquals("name=secure path=/a host=secure.example.com",
                        RawHttp.getTls(https, "secure.example.com", "/a").body().strip());
                assertEquals("name=both path=/b host=both.example.com", get(http, "both.example.com", "/b").body().strip());
                assertEquals("name=both path=/b host=both.example.com",
                        RawHttp.getTls(https, "both.example.com", "/b").body().strip());
                assertEquals("name=plain path=/c host=plain.example.com", get(http, "plain.example.com", "/c").body().strip());
                assertThrows(java.io.UncheckedIOException.class,
                        () -> RawHttp.getTls(https, "plain.example.com", "/c"),
                        "a host without a TLS route gets no certificate");
            }
        } finally {
            delete(prefix);
        }
    }

    /** Without Lua a replica change is a new configuration and a reload (the applier's path): the new server is served. */
    @Test
    void reload_endpointAddedWithoutLua_servedAfterReload() throws Exception {
        NginxTestServer.requireNginx();
        Path prefix = NginxTestServer.newPrefix("rendered-reload");
        try (EchoServer a = EchoServer.start("a"); EchoServer b = EchoServer.start("b")) {
            RenderFixtures.Paths paths = paths(prefix);
            NginxSettings settings = RenderFixtures.settings(paths, false);
            io.orchestry.proxy.domain.Route web = route("r-1", "web", List.of(), "/", false, LoadBalancing.ROUND_ROBIN,
                    RouteTimeouts.DEFAULTS, false);
            Path conf = write(prefix, renderer.render(new ProxyModel(settings, List.of(plan(web, endpoint(a))))));
            try (NginxTestServer nginx = NginxTestServer.start(prefix, conf, paths.httpPort())) {
                assertEquals("a", get(paths.httpPort(), "x.example.com", "/").header(EchoServer.NAME_HEADER));
                write(prefix, renderer.render(new ProxyModel(settings, List.of(plan(web, endpoint(a), endpoint(b))))));
                nginx.reload();
                java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
                boolean reachedB = false;
                while (!reachedB && java.time.Instant.now().isBefore(deadline)) {
                    RawHttp.Response response = get(paths.httpPort(), "x.example.com", "/");
                    assertEquals(200, response.status());
                    reachedB = "b".equals(response.header(EchoServer.NAME_HEADER));
                }
                assertTrue(reachedB, "b is served after the reload: " + nginx.logs());
            }
        } finally {
            delete(prefix);
        }
    }

    @Test
    void routing_noRoutes_answers404() throws Exception {
        NginxTestServer.requireNginx();
        Path prefix = NginxTestServer.newPrefix("rendered-empty");
        try {
            RenderFixtures.Paths paths = paths(prefix);
            Path conf = write(prefix, renderer.render(RenderFixtures.Scenario.NO_ROUTES.model(paths)));
            try (NginxTestServer nginx = NginxTestServer.start(prefix, conf, paths.httpPort())) {
                assertEquals(404, get(paths.httpPort(), "any.example.com", "/").status());
            }
        } finally {
            delete(prefix);
        }
    }

    private static RawHttp.Response get(int port, String host, String path) {
        return RawHttp.get(port, host, path);
    }

    private static Endpoint endpoint(EchoServer server) {
        return new Endpoint("127.0.0.1", server.port(), "i-" + server.name());
    }

    /** Free ports, the folders the configuration names, a self-signed certificate for each TLS route. */
    static RenderFixtures.Paths paths(Path prefix) throws Exception {
        RenderFixtures.Paths paths = new RenderFixtures.Paths(prefix, NginxTestServer.freePort(),
                NginxTestServer.freePort(), NginxTestServer.freePort());
        for (String folder : List.of("logs", "temp", "lua", "tls")) {
            Files.createDirectories(prefix.resolve(folder));
        }
        BalancerModule.writeTo(prefix.resolve("lua"));
        for (String name : List.of("secure", "both")) {
            selfSigned(name + ".example.com", paths.certificate(name), paths.key(name));
        }
        return paths;
    }

    static void selfSigned(String host, Path certificate, Path key) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=" + host, "-addext", "subjectAltName=DNS:" + host,
                "-keyout", key.toString(), "-out", certificate.toString())
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl: " + output);
    }

    static Path write(Path prefix, String config) throws IOException {
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        return conf;
    }

    static void delete(Path folder) throws IOException {
        try (var walk = Files.walk(folder)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
