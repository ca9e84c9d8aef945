package io.orchestry.watch.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Follows a committed change log (the outbox every watched change is written to in its own transaction) by resource
 * version, and hands each change, in order, to what this replica keeps of it ({@code apply}) and then to its
 * {@link WatchHub}. A loop polls it for other replicas' commits; a write made here calls {@link #catchUp} after its
 * commit, so its caller and the watchers have it before the call is answered. Resource versions commit in order (the
 * counter row is locked until commit), so reading everything above the last version seen never skips a change.
 */
public final class ChangeFeed<C extends Versioned> {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    /** Changes read from the log per query. */
    public static final int BATCH = 1_000;

    /** The change log, read in resource-version order. */
    @FunctionalInterface
    public interface Log<C> {
        /** The changes after {@code resourceVersion}, in order, at most {@code limit}. */
        List<C> changesAfter(long resourceVersion, int limit);
    }

    private final Log<C> log;
    private final WatchHub<C> hub;
    private final Consumer<C> apply;
    private long position = -1;

    /** @param apply what this replica does with each change before its watchers hear of it (may do nothing) */
    public ChangeFeed(Log<C> log, WatchHub<C> hub, Consumer<C> apply) {
        this.log = log;
        this.hub = hub;
        this.apply = apply;
    }

    /** Starts following after {@code resourceVersion}, the version the database held when it was read; once. */
    public synchronized void startAt(long resourceVersion) {
        hub.startAt(resourceVersion);
        if (position < 0) {
            position = resourceVersion;
        }
    }

    public synchronized boolean started() {
        return position >= 0;
    }

    /** Applies and publishes every committed change after the last one; returns how many. */
    public synchronized int poll() {
        if (position < 0) {
            throw new IllegalStateException("the feed has not started: startAt first");
        }
        int applied = 0;
        List<C> changes;
        do {
            changes = log.changesAfter(position, BATCH);
            for (C change : changes) {
                apply.accept(change);
                hub.publish(change);
                position = change.resourceVersion();
                applied++;
            }
        } while (changes.size() == BATCH);
        return applied;
    }

    /** Returns once every change up to {@code resourceVersion} (committed by this replica) is applied. */
    public synchronized void catchUp(long resourceVersion) {
        if (position >= resourceVersion) {
            return;
        }
        poll();
        if (position < resourceVersion) {
            // cannot happen while versions commit in order; the loop's next poll repairs it
            LOG.warn("resource version {} committed but not yet readable (feed at {})", resourceVersion, position);
        }
    }

    /** The resource version of the latest change applied (-1 before {@link #startAt}). */
    public synchronized long position() {
        return position;
    }

    /**
     * Of the log's rows, the newest that neither this feed nor its hub's replay still needs, keeping {@code keep} more
     * versions for other replicas' feeds, which may lag a little (0 or less: none).
     */
    public long prunableThrough(long keep) {
        return Math.min(hub.oldestReplayable(), position() - keep);
    }
}
