package io.orchestry.provisioner.domain;

import io.orchestry.watch.server.Versioned;

/** One change a watcher sees: the instance as it is after the change (as it was, for a deletion). */
public record InstanceChange(Type type, Instance instance, long resourceVersion) implements Versioned {
    public enum Type { ADDED, MODIFIED, DELETED }
}
