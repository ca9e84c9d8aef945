package io.orchestry.proxy.render;

import java.util.List;

/**
 * Everything one nginx.conf is rendered from: the settings and every route with what it sends to. Pure data: the same
 * model renders the same bytes (routes in their given order, which the caller makes stable: by id).
 */
public record ProxyModel(NginxSettings settings, List<RoutePlan> routes) {
    public ProxyModel {
        routes = List.copyOf(routes);
    }
}
