package io.orchestry.proxy.render;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.metrics.AccessLogFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static io.orchestry.proxy.render.RenderFixtures.endpoint;
import static io.orchestry.proxy.render.RenderFixtures.plan;
import static io.orchestry.proxy.render.RenderFixtures.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The renderer against golden files in {@code src/test/resources/golden}. After an intended change of the output,
 * regenerate them with {@code ./mvnw -o -B -q -pl proxy-service test -Dtest=NginxConfigRendererTest
 * -Dgolden.update=true} and review the diff.
 */
class NginxConfigRendererTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private final NginxConfigRenderer renderer = new NginxConfigRenderer();

    @ParameterizedTest
    @EnumSource(RenderFixtures.Scenario.class)
    void render_scenario_matchesGoldenFile(RenderFixtures.Scenario scenario) throws IOException {
        String rendered = renderer.render(scenario.model(RenderFixtures.Paths.GOLDEN));
        Path golden = GOLDEN.resolve(scenario.fileName());
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, rendered);
        }
        assertEquals(Files.readString(golden), rendered, "regenerate with -Dgolden.update=true if this is intended");
    }

    @Test
    void render_sameModel_sameText() {
        ProxyModel model = RenderFixtures.Scenario.SEVERAL_APPS.model(RenderFixtures.Paths.GOLDEN);
        assertEquals(renderer.render(model), new NginxConfigRenderer().render(model));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx.conf.mustache", "location.mustache"})
    void templates_everyValue_goesThroughTheEncoder(String template) throws IOException {
        String text = resource("/nginx/" + template);
        assertFalse(text.contains("{{{"), template + " has an unescaped {{{value}}}");
        assertFalse(text.contains("{{&"), template + " has an unescaped {{&value}}");
    }

    @Test
    void render_logFormat_isAccessLogFormat() {
        String rendered = renderer.render(RenderFixtures.Scenario.NO_ROUTES.model(RenderFixtures.Paths.GOLDEN));
        assertTrue(rendered.contains("log_format " + AccessLogFormat.NAME + " escape=json '" + AccessLogFormat.LOG_FORMAT
                + "';"), "the template's log_format must be AccessLogFormat.LOG_FORMAT");
    }

    @Test
    void render_severalApps_noNonIdempotentRetriesAndNoDaemonLine() {
        String rendered = renderer.render(RenderFixtures.Scenario.SEVERAL_APPS.model(RenderFixtures.Paths.GOLDEN));
        assertFalse(rendered.contains("non_idempotent"));
        assertFalse(rendered.contains("\ndaemon"), "the runner passes -g 'daemon off;'");
        assertTrue(rendered.contains("return 503"), "the route without endpoints answers 503");
        assertFalse(rendered.contains("upstream empty__http"), "no upstream block without endpoints");
    }

    @Test
    void render_tlsRouteWithoutHttpsPort_refused() {
        ProxyModel tls = RenderFixtures.Scenario.TLS.model(RenderFixtures.Paths.GOLDEN);
        NginxSettings s = tls.settings();
        NginxSettings noHttps = new NginxSettings(s.listenAddress(), s.httpPort(), 0, s.lua(), s.controlPort(),
                s.luaFolder(), s.accessLog(), s.errorLog(), s.pidFile(), s.tempFolder(), s.workerProcesses(),
                s.workerShutdownTimeout(), s.probeToken());
        assertThrows(IllegalArgumentException.class, () -> renderer.render(new ProxyModel(noHttps, tls.routes())));
    }

    /** Each injection attempt, in every field a route, an endpoint or the settings carry: refused, never emitted. */
    @ParameterizedTest
    @ValueSource(strings = {"a;b", "a{b", "a}b", "a$b", "a\"b", "a'b", "a#b", "a\nb", "a\\b", "a b", "",
            "exаmple.com" /* Cyrillic a */, "／etc", "ａpp", "a\u200bb", "a\u0000b"})
    void render_hostileValueInAnyField_refusedNamingTheField(String hostile) {
        for (Field field : Field.values()) {
            if (field.path && hostile.indexOf('\0') >= 0) {
                continue; // no Path holds a NUL
            }
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> renderer.render(field.model.apply(hostile)), field + " with " + hostile.codePoints().boxed().toList());
            assertTrue(refused.getMessage().contains(field.named), field + ": " + refused.getMessage());
        }
    }

    @Test
    void render_hostileLuaModel_refused() {
        Function<String, ProxyModel> lua = v -> new ProxyModel(RenderFixtures.settings(RenderFixtures.Paths.GOLDEN, true),
                List.of(plan(route("r-1", v, List.of(), "/", false, LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS,
                        false))));
        assertThrows(IllegalArgumentException.class, () -> renderer.render(lua.apply("x\") os.execute(\"id")));
    }

    @Test
    void render_relativeOrUnnormalizedPath_refused() {
        for (Path bad : List.of(Path.of("logs/access.log"), Path.of("/var/log/../../etc/x"))) {
            NginxSettings s = RenderFixtures.settings(RenderFixtures.Paths.GOLDEN, false);
            NginxSettings withBad = new NginxSettings(s.listenAddress(), s.httpPort(), s.httpsPort(), false, 0,
                    s.luaFolder(), bad, s.errorLog(), s.pidFile(), s.tempFolder(), 1, Duration.ofSeconds(1), s.probeToken());
            assertThrows(IllegalArgumentException.class, () -> renderer.render(new ProxyModel(withBad, List.of())));
        }
    }

    @Test
    void encoder_valueOutsideCommonSet_refused() {
        for (String bad : List.of("a;b", "\"a", "a\"", "\"a\"b\"", "\"\"", "$x", "")) {
            assertThrows(IllegalArgumentException.class, () -> NginxEscaping.token(bad), bad);
        }
        assertEquals("\"/a/b\"", NginxEscaping.token("\"/a/b\""));
        assertEquals("/v1[.]0", NginxEscaping.pathRegex("path", "/v1.0"));
    }

    /** A field of the model and the name its refusal carries. */
    private enum Field {
        HOST("route host", v -> one(route("r-1", "app", List.of(v), "/", false), endpoint("10.0.0.1", 80))),
        PATH("path prefix", v -> one(route("r-1", "app", List.of(), v.isEmpty() ? "" : "/" + v, false),
                endpoint("10.0.0.1", 80))),
        ROUTE_ID("route id", v -> one(route(v, "app", List.of(), "/", false), endpoint("10.0.0.1", 80))),
        APP("upstream", v -> one(route("r-1", v, List.of(), "/", false), endpoint("10.0.0.1", 80))),
        PORT_NAME("upstream", v -> one(new Route("r-1", "app", "p", List.of(), "/", false, v, null,
                LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS, false, RenderFixtures.T0, RenderFixtures.T0, 1),
                endpoint("10.0.0.1", 80))),
        ENDPOINT_HOST("endpoint host", v -> one(route("r-1", "app", List.of(), "/", false), endpoint(v, 80))),
        PROBE_TOKEN("probeToken", v -> new ProxyModel(settings(v, Path.of("/var/log/access.log")), List.of())),
        ACCESS_LOG("accessLog", v -> new ProxyModel(settings(RenderFixtures.TOKEN,
                v.isEmpty() ? Path.of("") : Path.of("/var/log/" + v)), List.of())),
        LISTEN_ADDRESS("listen address", v -> {
            NginxSettings s = RenderFixtures.settings(RenderFixtures.Paths.GOLDEN, false);
            return new ProxyModel(new NginxSettings(v, s.httpPort(), s.httpsPort(), false, 0, s.luaFolder(), s.accessLog(),
                    s.errorLog(), s.pidFile(), s.tempFolder(), 1, s.workerShutdownTimeout(), s.probeToken()), List.of());
        }),
        LUA_FOLDER("luaFolder", v -> {
            NginxSettings s = RenderFixtures.settings(RenderFixtures.Paths.GOLDEN, true);
            return new ProxyModel(new NginxSettings(s.listenAddress(), s.httpPort(), s.httpsPort(), true, s.controlPort(),
                    v.isEmpty() ? Path.of("") : Path.of("/var/lib/" + v), s.accessLog(), s.errorLog(), s.pidFile(),
                    s.tempFolder(), 1, s.workerShutdownTimeout(), s.probeToken()), List.of());
        }),
        CERTIFICATE_FILE("certificateFile", v -> new ProxyModel(RenderFixtures.settings(RenderFixtures.Paths.GOLDEN, false),
                List.of(new RoutePlan(RenderFixtures.withTls(route("r-1", "app", List.of("a.example.com"), "/", false), true),
                        List.of(endpoint("10.0.0.1", 80)), v.isEmpty() ? Path.of("") : Path.of("/tls/" + v),
                        Path.of("/tls/a.key")))));

        final String named;
        final Function<String, ProxyModel> model;
        final boolean path;

        Field(String named, Function<String, ProxyModel> model) {
            this.named = named;
            this.model = model;
            this.path = named.endsWith("Log") || named.endsWith("Folder") || named.endsWith("File");
        }

        private static Route route(String id, String app, List<String> hosts, String path, boolean strip) {
            return RenderFixtures.route(id, app, hosts, path, strip, LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS,
                    false);
        }

        private static ProxyModel one(Route route, Endpoint endpoint) {
            return new ProxyModel(RenderFixtures.settings(RenderFixtures.Paths.GOLDEN, false),
                    List.of(plan(route, endpoint)));
        }

        private static NginxSettings settings(String token, Path accessLog) {
            NginxSettings s = RenderFixtures.settings(RenderFixtures.Paths.GOLDEN, false);
            return new NginxSettings(s.listenAddress(), s.httpPort(), s.httpsPort(), false, 0, s.luaFolder(), accessLog,
                    s.errorLog(), s.pidFile(), s.tempFolder(), 1, s.workerShutdownTimeout(), token);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NginxConfigRendererTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
