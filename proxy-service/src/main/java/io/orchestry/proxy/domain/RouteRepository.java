package io.orchestry.proxy.domain;

import io.orchestry.paging.PageRequest;

import java.util.List;
import java.util.Optional;

/**
 * Stored routes (implemented in persistence). Every write takes the resource-version lock first, so the {@link Guard}
 * it runs sees every other committed route and no other write can slip in before it commits; the write commits with
 * its proxy event. Reads never return a private key, except {@link #allForRendering()} and {@link #getWithKey}.
 */
public interface RouteRepository {
    /** Checks a write against every other stored route, inside the writing transaction (e.g. overlaps). */
    @FunctionalInterface
    interface Guard {
        void check(List<Route> others);
    }

    Route create(Route route, Guard guard);

    /** NOT_FOUND when absent, ABORTED when its version is not {@code expectedVersion}. */
    Route update(Route route, long expectedVersion, Guard guard);

    /** The route as it was; NOT_FOUND when absent. */
    Route delete(String id);

    /** Without its key. */
    Optional<Route> get(String id);

    /** With its key in clear, for an update that keeps it. */
    Optional<Route> getWithKey(String id);

    /** Filtered by project and app ("": any), ordered by id. */
    RoutePage list(String project, String app, PageRequest page);

    /** Every route, keys in clear, ordered by id: for the renderer only. */
    List<Route> allForRendering();
}
