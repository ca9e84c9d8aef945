package io.orchestry.watch;

import java.util.Objects;

/**
 * One change a watch stream reported, in the order the source made it.
 *
 * @param resourceVersion the source's resource version of this change; each event's is greater
 *                        than the one before it
 */
public record WatchEvent<T>(Type type, T item, long resourceVersion) {
    public WatchEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(item, "item");
    }

    public enum Type { ADDED, MODIFIED, DELETED }
}
