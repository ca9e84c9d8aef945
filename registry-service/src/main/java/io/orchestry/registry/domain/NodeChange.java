package io.orchestry.registry.domain;

/** One change a watcher sees: the node as it is after the change (as it was, for a deletion). */
public record NodeChange(Type type, Node node, long resourceVersion) {
    public enum Type { ADDED, MODIFIED, DELETED }
}
