package io.orchestry.proxy.render;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.domain.RouteTls;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The models the golden files are rendered from, with their paths and ports under one root. */
final class RenderFixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String TOKEN = "probe-token-0123456789";

    /** Where the files of a scenario live: the golden files use a fixed root, RenderedConfigIT a temp prefix. */
    record Paths(Path root, int httpPort, int httpsPort, int controlPort) {
        static final Paths GOLDEN = new Paths(Path.of("/var/lib/orchestry-proxy"), 8088, 8443, 8089);

        Path certificate(String name) {
            return root.resolve("tls").resolve(name + ".crt");
        }

        Path key(String name) {
            return root.resolve("tls").resolve(name + ".key");
        }
    }

    /** The scenarios, each a golden file {@code golden/<name>.conf}. */
    enum Scenario {
        /** Several apps on different hosts and paths, a default route, strip prefix, each LB method, timeouts, no endpoint. */
        SEVERAL_APPS(false),
        /** The same with the Lua balancer. */
        SEVERAL_APPS_LUA(true),
        /** TLS routes, one redirecting HTTP to HTTPS, one served on both, next to a plain route. */
        TLS(false),
        /** No route at all: every request answers 404. */
        NO_ROUTES(false);

        final boolean lua;

        Scenario(boolean lua) {
            this.lua = lua;
        }

        String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".conf";
        }

        ProxyModel model(Paths paths) {
            NginxSettings settings = settings(paths, lua);
            return switch (this) {
                case SEVERAL_APPS, SEVERAL_APPS_LUA -> new ProxyModel(settings, severalApps());
                case TLS -> new ProxyModel(settings, tls(paths));
                case NO_ROUTES -> new ProxyModel(settings, List.of());
            };
        }
    }

    static NginxSettings settings(Paths paths, boolean lua) {
        Path root = paths.root();
        return new NginxSettings("127.0.0.1", paths.httpPort(), paths.httpsPort(), lua, lua ? paths.controlPort() : 0,
                root.resolve("lua"), root.resolve("logs/access.log"), root.resolve("logs/error.log"),
                root.resolve("nginx.pid"), root.resolve("temp"), 2, Duration.ofSeconds(10), TOKEN);
    }

    static List<RoutePlan> severalApps() {
        return List.of(
                plan(route("r-0000000001", "shop", List.of("shop.example.com", "www.shop.example.com"), "/", false,
                        LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false),
                        endpoint("10.0.0.1", 8080), endpoint("10.0.0.2", 8080)),
                plan(route("r-0000000002", "api", List.of("api.example.com"), "/v1.0/", true,
                        LoadBalancing.LEAST_CONN, new RouteTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(30)),
                        false), endpoint("10.0.1.1", 9000)),
                plan(route("r-0000000003", "blog", List.of(), "/blog", false,
                        LoadBalancing.IP_HASH, new RouteTimeouts(null, Duration.ofSeconds(5)), false),
                        endpoint("10.0.2.1", 8000), endpoint("10.0.2.2", 8000), endpoint("10.0.2.3", 8000)),
                plan(route("r-0000000004", "wild", List.of("*.apps.example.com"), "/", false,
                        LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false), endpoint("10.0.3.1", 8080)),
                plan(route("r-0000000005", "landing", List.of(), "/", false,
                        LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, true), endpoint("10.0.4.1", 8080)),
                plan(route("r-0000000006", "empty", List.of("api.example.com"), "/empty", true,
                        LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false)));
    }

    static List<RoutePlan> tls(Paths paths) {
        Route secure = withTls(route("r-0000000011", "secure", List.of("secure.example.com"), "/", false,
                LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false), true);
        Route both = withTls(route("r-0000000012", "both", List.of("both.example.com"), "/", false,
                LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false), false);
        Route plain = route("r-0000000013", "plain", List.of("plain.example.com"), "/", false,
                LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false);
        return List.of(
                new RoutePlan(secure, List.of(endpoint("10.0.5.1", 8080)), paths.certificate("secure"), paths.key("secure")),
                new RoutePlan(both, List.of(endpoint("10.0.6.1", 8080)), paths.certificate("both"), paths.key("both")),
                plan(plain, endpoint("10.0.7.1", 8080)));
    }

    static Route route(String id, String app, List<String> hosts, String pathPrefix, boolean strip,
                       LoadBalancing lb, RouteTimeouts timeouts, boolean isDefault) {
        return new Route(id, app, "demo", hosts, pathPrefix, strip, "http", null, lb, timeouts, isDefault, T0, T0, 1);
    }

    static Route withTls(Route r, boolean redirect) {
        return new Route(r.id(), r.app(), r.project(), r.hosts(), r.pathPrefix(), r.stripPrefix(), r.portName(),
                new RouteTls("-----BEGIN CERTIFICATE-----", null, redirect, T0.plusSeconds(86400)), r.loadBalancing(),
                r.timeouts(), r.isDefault(), r.createTime(), r.updateTime(), r.version());
    }

    static RoutePlan plan(Route route, Endpoint... endpoints) {
        return new RoutePlan(route, List.of(endpoints), null, null);
    }

    static Endpoint endpoint(String host, int port) {
        return new Endpoint(host, port, "i-" + host.replace('.', '-') + "-" + port);
    }

    private RenderFixtures() {
    }
}
