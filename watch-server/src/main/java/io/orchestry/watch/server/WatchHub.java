package io.orchestry.watch.server;

import io.orchestry.error.ResourceVersionTooOldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans changes out to this replica's watchers in resource-version order, and keeps the latest ones so that a watcher
 * that reconnects with the version it last saw misses nothing. Fed only by a {@link ChangeFeed}, from the committed
 * change log: watchers hear of a change after its commit, whichever replica made it. A watcher that asks for changes
 * older than what is kept is told to list again ({@link ResourceVersionTooOldException}, OUT_OF_RANGE).
 */
public final class WatchHub<C extends Versioned> {
    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);
    private final int capacity;
    private final Deque<C> recent = new ArrayDeque<>();
    private final List<Consumer<C>> watchers = new CopyOnWriteArrayList<>();
    /** Every change after this version is in {@link #recent} (or was published after it). */
    private long complete;
    private long latest;
    private boolean started;

    /** @param capacity how many recent changes a reconnecting watcher can replay */
    public WatchHub(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Where a fresh hub starts: the resource version the database held when its feed began (the first call wins). */
    synchronized void startAt(long resourceVersion) {
        if (!started) {
            started = true;
            latest = resourceVersion;
            complete = resourceVersion;
        }
    }

    /** Publishes one committed change; the feed publishes in resource-version order, a repeat is ignored. */
    synchronized void publish(C change) {
        if (change.resourceVersion() <= latest) {
            return;
        }
        latest = change.resourceVersion();
        recent.addLast(change);
        if (recent.size() > capacity) {
            complete = recent.removeFirst().resourceVersion();
        }
        for (Consumer<C> watcher : watchers) {
            try {
                watcher.accept(change);
            } catch (RuntimeException failed) {
                // one watcher's failure (a closed call, a mapping bug) must not keep the change from the others
                LOG.warn("a watcher failed on the change at resource version {}: {}", change.resourceVersion(), failed.toString());
            }
        }
    }

    /** The oldest version a watcher may resume from; change-log rows at or below it are no longer needed here. */
    public synchronized long oldestReplayable() {
        return complete;
    }

    /**
     * Replays the changes after {@code resourceVersion} to {@code watcher}, then follows new ones, until the returned
     * handle is closed. {@code watcher} must not block.
     */
    public synchronized AutoCloseable watch(long resourceVersion, Consumer<C> watcher) {
        if (resourceVersion < complete) {
            throw new ResourceVersionTooOldException(resourceVersion, complete);
        }
        List<C> replay = new ArrayList<>();
        for (C change : recent) {
            if (change.resourceVersion() > resourceVersion) {
                replay.add(change);
            }
        }
        replay.forEach(watcher);
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }
}
