package io.orchestry.watch;

import java.util.List;

/**
 * Everything a full list returned: the listener replaces all it knew with {@code items}. The
 * events that follow are the changes after {@code resourceVersion}.
 */
public record Snapshot<T>(List<T> items, long resourceVersion) {
    public Snapshot {
        items = List.copyOf(items);
    }
}
