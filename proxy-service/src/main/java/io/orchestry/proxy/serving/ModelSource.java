package io.orchestry.proxy.serving;

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
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The apply loop's model: every stored route (ordered by id, keys in clear) with its upstream's healthy endpoints now,
 * and the TLS files written for it. With the Lua balancer the endpoints do not reach the file (the renderer leaves them
 * out), so a replica change renders the same configuration and makes no revision.
 */
final class ModelSource implements Supplier<ProxyModel> {
    private final RouteRepository routes;
    private final Upstreams upstreams;
    private final NginxSettings settings;
    private final TlsFiles tls;

    ModelSource(RouteRepository routes, Upstreams upstreams, NginxSettings settings, TlsFiles tls) {
        this.routes = routes;
        this.upstreams = upstreams;
        this.settings = settings;
        this.tls = tls;
    }

    @Override
    public ProxyModel get() {
        List<Route> all = new ArrayList<>(routes.allForRendering());
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
}
