package io.orchestry.registry.domain;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.registry.config.RegistryConfig;
import jakarta.inject.Singleton;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans node changes out to watchers, in resource-version order, and keeps the latest ones so that
 * a watcher that reconnects with the resource version it last saw misses nothing. A watcher that
 * asks for changes older than the buffer is told to list again.
 */
@Singleton
public class NodeWatchHub {
    private final int capacity;
    private final Deque<NodeChange> recent = new ArrayDeque<>();
    private final List<Consumer<NodeChange>> watchers = new CopyOnWriteArrayList<>();
    private long latest;

    public NodeWatchHub(RegistryConfig config) {
        this.capacity = config.watchBuffer();
    }

    /** Publishes one change; callers publish in resource-version order (NodeService holds its write lock). */
    public synchronized void publish(NodeChange change) {
        if (change.resourceVersion() <= latest) {
            return;
        }
        latest = change.resourceVersion();
        recent.addLast(change);
        if (recent.size() > capacity) {
            recent.removeFirst();
        }
        for (Consumer<NodeChange> watcher : watchers) {
            watcher.accept(change);
        }
    }

    /** Sets where a fresh hub starts: the resource version PostgreSQL held when the registry started. */
    public synchronized void startAt(long resourceVersion) {
        if (latest == 0 && recent.isEmpty()) {
            latest = resourceVersion;
        }
    }

    /**
     * Replays the changes after {@code resourceVersion} to {@code watcher}, then follows new ones,
     * until the returned handle is closed. {@code watcher} must not block.
     */
    public synchronized AutoCloseable watch(long resourceVersion, Consumer<NodeChange> watcher) {
        long oldestReplayable = recent.isEmpty() ? latest : recent.peekFirst().resourceVersion() - 1;
        if (resourceVersion < oldestReplayable) {
            throw new FailedPreconditionException("resource version " + resourceVersion
                    + " is too old to replay (the oldest is " + oldestReplayable + "): list again and watch from its resource version");
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
