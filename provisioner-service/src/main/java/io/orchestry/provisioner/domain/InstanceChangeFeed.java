package io.orchestry.provisioner.domain;

import io.orchestry.watch.server.OutboxFeed;
import io.orchestry.watch.server.WatchHub;
import jakarta.inject.Singleton;

/**
 * The instance outbox followed by resource version ({@link OutboxFeed}): each committed change, in order, goes to this
 * replica's watchers. A loop polls it (for other replicas' commits); a write made here calls {@link #catchUp} after
 * its commit, so watchers have it before the call is answered.
 */
@Singleton
public class InstanceChangeFeed {
    private final OutboxFeed<InstanceChange> feed;

    public InstanceChangeFeed(InstanceEvents events, WatchHub<InstanceChange> hub) {
        this.feed = new OutboxFeed<>(events::changesAfter, events::currentResourceVersion, events::pruneThrough, hub,
                change -> { });
    }

    /** Starts following from the version the database holds now (once). */
    public void load() {
        feed.load();
    }

    /** Publishes every committed change after the last one published; returns how many. */
    public int poll() {
        return feed.poll();
    }

    /** Returns once every change up to {@code resourceVersion} (committed by this replica) is published. */
    public void catchUp(long resourceVersion) {
        feed.catchUp(resourceVersion);
    }

    /** Drops outbox rows more than {@code keep} versions behind this feed and its hub's replay; returns how many. */
    public int prune(long keep) {
        return feed.prune(keep);
    }

    /** One turn of the feed loop. */
    public void tick(long keep) {
        feed.tick(keep);
    }

    public long position() {
        return feed.position();
    }
}
