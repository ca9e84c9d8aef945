package io.orchestry.proxy.serving;

import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteChangeListener;
import io.orchestry.proxy.domain.RouteRepository;
import io.orchestry.proxy.domain.UpstreamKey;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The stored routes' apps and projects, kept in memory from the route change feed (loaded once at start): which apps
 * the request metrics report (with zeros when idle) and which project an app's requests belong to.
 */
public final class RouteIndex implements RouteChangeListener {
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    void load(RouteRepository repository) {
        for (Route route : repository.allForRendering()) {
            routes.put(route.id(), route.withoutKey());
        }
    }

    @Override
    public void routeChanged(Route route, ProxyEvent.Type type, String reason) {
        if (type == ProxyEvent.Type.DELETED) {
            routes.remove(route.id());
        } else {
            routes.put(route.id(), route.withoutKey());
        }
    }

    Set<String> apps() {
        return routes.values().stream().map(Route::app).collect(Collectors.toUnmodifiableSet());
    }

    /** Each upstream's load balancing: the first route's (by id) that sends to it, as the renderer does. */
    Map<UpstreamKey, LoadBalancing> methods() {
        Map<UpstreamKey, LoadBalancing> methods = new java.util.HashMap<>();
        routes.values().stream().sorted(java.util.Comparator.comparing(Route::id))
                .forEach(route -> methods.putIfAbsent(route.upstream(), route.loadBalancing()));
        return methods;
    }

    /** The project of an app that has a route; null for an app no route names. */
    String projectOf(String app) {
        return routes.values().stream().filter(r -> r.app().equals(app)).map(Route::project).findFirst().orElse(null);
    }
}
