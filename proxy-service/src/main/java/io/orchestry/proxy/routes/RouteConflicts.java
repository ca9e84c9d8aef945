package io.orchestry.proxy.routes;

import io.orchestry.error.AlreadyExistsException;
import io.orchestry.proxy.domain.Route;

import java.util.List;

/**
 * Which routes cannot live together: two with the same path prefix and an overlapping host (an exactly equal host
 * name, or both for any host), and two defaults. Pure; run inside the writing transaction.
 */
public final class RouteConflicts {
    private RouteConflicts() {
    }

    /** @throws AlreadyExistsException naming what overlaps (kind "route", the other route's id, or "is_default") */
    public static void check(Route candidate, List<Route> others) {
        for (Route other : others) {
            if (other.id().equals(candidate.id())) {
                continue;
            }
            if (candidate.isDefault() && other.isDefault()) {
                throw new AlreadyExistsException("default route (is_default)", other.id());
            }
            if (overlap(candidate, other)) {
                throw new AlreadyExistsException("route for these hosts and path_prefix " + candidate.pathPrefix(), other.id());
            }
        }
    }

    static boolean overlap(Route a, Route b) {
        if (!a.pathPrefix().equals(b.pathPrefix())) {
            return false;
        }
        if (a.hosts().isEmpty() || b.hosts().isEmpty()) {
            return a.hosts().isEmpty() && b.hosts().isEmpty();
        }
        return a.hosts().stream().anyMatch(b.hosts()::contains);
    }
}
