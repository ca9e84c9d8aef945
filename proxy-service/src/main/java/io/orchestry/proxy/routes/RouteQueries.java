package io.orchestry.proxy.routes;

import io.orchestry.error.NotFoundException;
import io.orchestry.paging.PageRequest;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RoutePage;
import io.orchestry.proxy.domain.RouteRepository;
import jakarta.inject.Singleton;

/** Reads routes for clients: never with a private key. */
@Singleton
public class RouteQueries {
    /** The list's name in page tokens. */
    public static final String ROUTES = "routes";

    private final RouteRepository routes;

    public RouteQueries(RouteRepository routes) {
        this.routes = routes;
    }

    public Route get(String id) {
        return routes.get(id).orElseThrow(() -> new NotFoundException("route", id));
    }

    public RoutePage list(String project, String app, PageRequest page) {
        return routes.list(project, app, page);
    }
}
