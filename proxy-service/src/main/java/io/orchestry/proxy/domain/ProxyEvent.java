package io.orchestry.proxy.domain;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.watch.server.Versioned;

/**
 * One committed change WatchProxyEvents sends: a route (without its key), a revision (without its config) or the nginx
 * status, as it is after the change (as it was, for a deleted route). Exactly one of the three is set, as {@code kind} says.
 */
public record ProxyEvent(Kind kind, Type type, @Nullable Route route, @Nullable Revision revision,
                         @Nullable ProxyState status, long resourceVersion) implements Versioned {
    public enum Kind { ROUTE, REVISION, STATUS }

    public enum Type { ADDED, MODIFIED, DELETED }
}
