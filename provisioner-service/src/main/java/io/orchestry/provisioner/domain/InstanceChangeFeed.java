package io.orchestry.provisioner.domain;

import io.orchestry.watch.server.ChangeFeed;
import io.orchestry.watch.server.WatchHub;
import jakarta.inject.Singleton;

/**
 * The instance outbox followed by resource version ({@link ChangeFeed}): each committed change, in order, goes to this
 * replica's watchers. A loop polls it (for other replicas' commits); a write made here calls {@link #catchUp} after
 * its commit, so watchers have it before the call is answered.
 */
@Singleton
public class InstanceChangeFeed {
    private final InstanceEvents events;
    private final ChangeFeed<InstanceChange> feed;

    public InstanceChangeFeed(InstanceEvents events, WatchHub<InstanceChange> hub) {
        this.events = events;
        this.feed = new ChangeFeed<>(events::changesAfter, hub, change -> { });
    }

    /** Starts following from the version the database holds now (once). */
    public synchronized void load() {
        if (!feed.started()) {
            feed.startAt(events.currentResourceVersion());
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
        return through <= 0 ? 0 : events.pruneThrough(through);
    }

    public long position() {
        return feed.position();
    }
}
