package io.orchestry.proxy.serving;

import io.orchestry.proxy.apply.ModelFeedback;
import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteRepository;
import io.orchestry.proxy.domain.UpstreamKey;
import io.orchestry.proxy.domain.Upstreams;
import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The apply loop's model: every stored route (ordered by id, keys in clear) with its upstream's healthy endpoints now,
 * and the TLS files written for it. With the Lua balancer the endpoints do not reach the file (the renderer leaves them
 * out), so a replica change renders the same configuration and makes no revision.
 *
 * <p>A route whose probe failed (its revision was rolled back) is held at the form nginx last ran, or left out if it
 * never ran, until it changes again: one broken route does not hold back every later change of the others.
 */
final class ModelSource implements Supplier<ProxyModel>, ModelFeedback {
    private final RouteRepository routes;
    private final Upstreams upstreams;
    private final NginxSettings settings;
    private final TlsFiles tls;
    /** The routes of the last model nginx ran, by id. */
    private final Map<String, Route> applied = new ConcurrentHashMap<>();
    /** Route id → the version whose probe failed. */
    private final Map<String, Long> held = new ConcurrentHashMap<>();

    ModelSource(RouteRepository routes, Upstreams upstreams, NginxSettings settings, TlsFiles tls) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.settings = settings;
        this.tls = tls;
    }

    @Override
    public ProxyModel get() {
        List<Route> all = new ArrayList<>();
        List<Route> stored = routes.allForRendering();
        held.keySet().retainAll(stored.stream().map(Route::id).toList());
        for (Route route : stored) {
            Long failed = held.get(route.id());
            if (failed != null && failed != route.version()) {
                held.remove(route.id()); // changed since: try the new form
                failed = null;
            }
            if (failed == null) {
                all.add(route);
            } else if (applied.containsKey(route.id())) {
                all.add(applied.get(route.id()));
            }
        }
        all.sort(Comparator.comparing(Route::id));
        tls.sync(all);
        Map<UpstreamKey, List<Endpoint>> endpoints = upstreams.current();
        List<RoutePlan> plans = new ArrayList<>(all.size());
        for (Route route : all) {
            boolean secure = route.tls() != null;
            plans.add(new RoutePlan(route, endpoints.getOrDefault(route.upstream(), List.of()),
                    secure ? tls.certificate(route) : null, secure ? tls.key(route) : null));
        }
        return new ProxyModel(settings, plans);
    }

    @Override
    public boolean ready() {
        return upstreams.listed();
    }

    @Override
    public void applied(ProxyModel model) {
        Map<String, Route> now = new HashMap<>();
        model.routes().forEach(plan -> now.put(plan.route().id(), plan.route()));
        applied.keySet().retainAll(now.keySet());
        applied.putAll(now);
    }

    @Override
    public void rolledBack(ProxyModel model, String routeId) {
        model.routes().stream().filter(plan -> plan.route().id().equals(routeId)).findFirst()
                .ifPresent(plan -> held.put(routeId, plan.route().version()));
    }

    /** The routes held at their last applied form (or left out) because their newest version failed its probe. */
    Map<String, Long> held() {
        return Map.copyOf(held);
    }
}
