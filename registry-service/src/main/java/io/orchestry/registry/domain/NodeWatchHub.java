package io.orchestry.registry.domain;

import io.orchestry.error.ResourceVersionTooOldException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans node changes out to this replica's watchers, in resource-version order, and keeps the latest
 * ones so that a watcher that reconnects with the resource version it last saw misses nothing. It is
 * fed only by {@link NodeChangeFeed}, from the committed event log: watchers hear of a change after
 * its commit, whichever replica made it. A watcher that asks for changes older than what is kept is
 * told to list again ({@link ResourceVersionTooOldException}).
 */
public final class NodeWatchHub {
    private final int capacity;
    private final Deque<NodeChange> recent = new ArrayDeque<>();
    private final List<Consumer<NodeChange>> watchers = new CopyOnWriteArrayList<>();
    /** Every change after this version is in {@link #recent} (or was published after it). */
    private long complete;
    private long latest;

    /** @param capacity how many recent changes a reconnecting watcher can replay */
    public NodeWatchHub(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Where a fresh hub starts: the resource version the database held when the feed began. */
    synchronized void startAt(long resourceVersion) {
        if (latest == 0 && recent.isEmpty()) {
            latest = resourceVersion;
            complete = resourceVersion;
        }
    }

    /** Publishes one committed change; the feed publishes in resource-version order. */
    synchronized void publish(NodeChange change) {
        if (change.resourceVersion() <= latest) {
            return;
        }
        latest = change.resourceVersion();
        recent.addLast(change);
        if (recent.size() > capacity) {
            complete = recent.removeFirst().resourceVersion();
        }
        for (Consumer<NodeChange> watcher : watchers) {
            watcher.accept(change);
        }
    }

    /**
     * Replays the changes after {@code resourceVersion} to {@code watcher}, then follows new ones,
     * until the returned handle is closed. {@code watcher} must not block.
     */
    public synchronized AutoCloseable watch(long resourceVersion, Consumer<NodeChange> watcher) {
        if (resourceVersion < complete) {
            throw new ResourceVersionTooOldException(resourceVersion, complete);
        }
        List<NodeChange> replay = new ArrayList<>();
        for (NodeChange change : recent) {
            if (change.resourceVersion() > resourceVersion) {
                replay.add(change);
            }
        }
        replay.forEach(watcher);
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }
}
