package io.orchestry.proxy.render;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.Route;

import java.nio.file.Path;
import java.util.List;

/**
 * One route as it is rendered.
 *
 * @param endpoints       the upstream's servers, sorted; rendered into the {@code upstream} block only without Lua
 *                        (with Lua the balancer holds them, pushed without a reload); empty: the route answers 503
 * @param certificateFile where the route's certificate chain is written (null without TLS)
 * @param keyFile         where its key is written, 0600 (null without TLS)
 */
public record RoutePlan(Route route, List<Endpoint> endpoints, @Nullable Path certificateFile, @Nullable Path keyFile) {
    public RoutePlan {
        endpoints = List.copyOf(endpoints);
    }
}
