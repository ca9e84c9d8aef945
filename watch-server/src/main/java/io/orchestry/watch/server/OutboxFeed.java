package io.orchestry.watch.server;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * A service's outbox followed for its watchers: a {@link ChangeFeed} started at the version the database holds when it
 * is first used, polled for other replicas' commits, caught up after this replica's own, and pruned of rows no feed
 * needs any more. The one way every service follows its outbox (the provisioner's instances, the proxy's events).
 */
public final class OutboxFeed<C extends Versioned> {
    private final LongSupplier currentResourceVersion;
    private final LongUnaryOperator pruneThrough;
    private final ChangeFeed<C> feed;

    /**
     * @param log                    the outbox's changes after a version, in order
     * @param currentResourceVersion the version the database holds now
     * @param pruneThrough           deletes the outbox rows up to a version; returns how many
     * @param apply                  what this replica does with each change before its watchers hear of it
     */
    public OutboxFeed(ChangeFeed.Log<C> log, LongSupplier currentResourceVersion, LongUnaryOperator pruneThrough,
                      WatchHub<C> hub, Consumer<C> apply) {
        this.currentResourceVersion = currentResourceVersion;
        this.pruneThrough = pruneThrough;
        this.feed = new ChangeFeed<>(log, hub, apply);
    }

    /** Starts following from the version the database holds now (once). */
    public synchronized void load() {
        if (!feed.started()) {
            feed.startAt(currentResourceVersion.getAsLong());
        }
    }

    /** Publishes every committed change after the last one published; returns how many. */
    public int poll() {
        load();
        return feed.poll();
    }

    /** Returns once every change up to {@code resourceVersion} (committed by this replica) is published. */
    public void catchUp(long resourceVersion) {
        load();
        feed.catchUp(resourceVersion);
    }

    /**
     * Drops outbox rows more than {@code keep} versions behind this feed (and behind what its hub replays), so other
     * replicas' feeds, which may lag a little, still find theirs; returns how many.
     */
    public int prune(long keep) {
        long through = feed.prunableThrough(keep);
        return through <= 0 ? 0 : (int) pruneThrough.applyAsLong(through);
    }

    /** One turn of a replica's feed loop: poll, then prune keeping {@code keep} versions. */
    public void tick(long keep) {
        poll();
        prune(keep);
    }

    public long position() {
        return feed.position();
    }
}
