package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.render.RoutePlan;

import java.util.List;

/**
 * One request through nginx that proves a route serves: to its first host (a wildcard {@code *.x.y} as
 * {@code probe.x.y}) and its path prefix, over https with SNI when it has TLS.
 *
 * @param endpoints the upstream servers it may reach; empty: the route must answer 503 itself
 */
public record RouteProbe(String routeId, String host, String path, boolean tls, List<Endpoint> endpoints) {
    /** The host a probe names when the route matches any host. */
    public static final String ANY_HOST = "localhost";

    public RouteProbe {
        endpoints = List.copyOf(endpoints);
    }

    public static RouteProbe of(RoutePlan plan) {
        Route route = plan.route();
        String host = route.hosts().isEmpty() ? ANY_HOST : route.hosts().get(0);
        if (host.startsWith("*.")) {
            host = "probe." + host.substring(2);
        }
        return new RouteProbe(route.id(), host, route.pathPrefix(), route.tls() != null, plan.endpoints());
    }
}
