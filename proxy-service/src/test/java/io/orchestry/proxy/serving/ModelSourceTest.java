package io.orchestry.proxy.serving;

import io.orchestry.paging.PageRequest;
import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RoutePage;
import io.orchestry.proxy.domain.RouteRepository;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.domain.UpstreamKey;
import io.orchestry.proxy.domain.Upstreams;
import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the apply loop renders: stored routes, held ones at their last applied form, nothing before upstreams are known. */
class ModelSourceTest {
    @TempDir
    Path folder;

    private final Map<String, Route> stored = new TreeMap<>();
    private boolean listed = true;

    @Test
    void routeWhoseProbeFailed_isHeldAtItsAppliedForm_untilItChangesAgain() {
        ModelSource source = source();
        stored.put("r-1", route("r-1", "http", 1));
        ProxyModel first = source.get();
        source.applied(first);

        stored.put("r-1", route("r-1", "admin", 2));
        ProxyModel broken = source.get();
        assertEquals("admin", only(broken).route().portName());
        source.rolledBack(broken, "r-1");
        assertEquals("http", only(source.get()).route().portName(), "held at the form nginx ran");
        assertEquals(1, only(source.get()).route().version());

        stored.put("r-1", route("r-1", "http", 3));
        assertEquals(3, only(source.get()).route().version(), "changed since: the new form is tried");
        assertTrue(source.held().isEmpty());
    }

    @Test
    void newRouteWhoseProbeFailed_isLeftOut_theOthersStay() {
        ModelSource source = source();
        stored.put("r-1", route("r-1", "http", 1));
        source.applied(source.get());
        stored.put("r-2", route("r-2", "admin", 1));
        ProxyModel both = source.get();
        assertEquals(2, both.routes().size());
        source.rolledBack(both, "r-2");
        assertEquals(List.of("r-1"), source.get().routes().stream().map(p -> p.route().id()).toList());

        stored.remove("r-2");
        source.get();
        assertTrue(source.held().isEmpty(), "a deleted route's hold goes with it");
    }

    @Test
    void notReady_untilTheUpstreamsAreListed() {
        ModelSource source = source();
        listed = false;
        assertFalse(source.ready(), "an empty list before the first one would render every route 503");
        listed = true;
        assertTrue(source.ready());
    }

    private static RoutePlan only(ProxyModel model) {
        assertEquals(1, model.routes().size(), model.routes().toString());
        return model.routes().get(0);
    }

    private ModelSource source() {
        NginxSettings settings = new NginxSettings("127.0.0.1", 8088, 0, false, 0, folder.resolve("lua"),
                folder.resolve("access.json"), folder.resolve("error.log"), folder.resolve("nginx.pid"), folder.resolve("temp"),
                1, Duration.ofSeconds(5), "token-for-tests");
        return new ModelSource(new Routes(), new FixedUpstreams(), settings, new TlsFiles(folder.resolve("tls")));
    }

    private static Route route(String id, String port, long version) {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        return new Route(id, "web", "shop", List.of("web.test"), "/", false, port, null, LoadBalancing.ROUND_ROBIN,
                RouteTimeouts.DEFAULTS, false, now, now, version);
    }

    private final class FixedUpstreams implements Upstreams {
        @Override
        public boolean listed() {
            return listed;
        }

        @Override
        public Map<UpstreamKey, List<Endpoint>> current() {
            return Map.of(new UpstreamKey("web", "http"), List.of(new Endpoint("127.0.0.1", 9001, "web-1")));
        }

        @Override
        public void addListener(UpstreamListener listener) {
        }
    }

    private final class Routes implements RouteRepository {
        @Override
        public List<Route> allForRendering() {
            return List.copyOf(stored.values());
        }

        @Override
        public Route create(Route route, Guard guard) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Route update(Route route, long expectedVersion, Guard guard) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Route delete(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Route> get(String id) {
            return Optional.ofNullable(stored.get(id));
        }

        @Override
        public Optional<Route> getWithKey(String id) {
            return get(id);
        }

        @Override
        public RoutePage list(String project, String app, PageRequest page) {
            throw new UnsupportedOperationException();
        }
    }
}
