package io.orchestry.registry.domain;

import io.orchestry.watch.server.Versioned;

/** One change a watcher sees: the node as it is after the change (as it was, for a deletion). */
public record NodeChange(Type type, Node node, long resourceVersion) implements Versioned {
    public enum Type { ADDED, MODIFIED, DELETED }
}
