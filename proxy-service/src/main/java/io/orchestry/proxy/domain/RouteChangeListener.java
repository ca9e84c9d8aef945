package io.orchestry.proxy.domain;

/**
 * Hears of every committed route change, on every replica (this replica's after its commit, other replicas' when the
 * event feed reads them), in resource-version order, on the feed's thread: it must not block. The apply loop is one.
 */
@FunctionalInterface
public interface RouteChangeListener {
    /** @param reason for people, e.g. "route r-3f2a0c91b2 updated" */
    void routeChanged(Route route, ProxyEvent.Type type, String reason);
}
