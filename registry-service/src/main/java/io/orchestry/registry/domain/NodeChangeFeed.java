package io.orchestry.registry.domain;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Follows the node event log (the outbox every change is written to in its own transaction) by
 * resource version, and hands each committed change, in order, to this replica's {@link FleetState}
 * and {@link NodeWatchHub}. A loop polls it for other replicas' changes; a change made here calls
 * {@link #catchUp} after its commit, so its caller, the fleet state and the watchers have it before
 * the call is answered. Resource versions commit in order (the counter is locked until commit), so
 * reading everything above the last version seen never skips a change.
 */
@Singleton
public class NodeChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(NodeChangeFeed.class);
    static final int BATCH = 1_000;

    private final NodeRepository nodes;
    private final NodeEventRepository events;
    private final FleetState fleet;
    private final NodeWatchHub hub;
    private final Clock clock;
    private long position = -1;

    public NodeChangeFeed(NodeRepository nodes, NodeEventRepository events, FleetState fleet, NodeWatchHub hub, Clock clock) {
        this.nodes = nodes;
        this.events = events;
        this.fleet = fleet;
        this.hub = hub;
        this.clock = clock;
    }

    /**
     * Loads every node into the fleet state and starts following from the version the database held
     * before it read them; each node not known yet is treated as heard from now (a restart declares
     * nobody DOWN early).
     */
    public synchronized void load() {
        long at = nodes.currentResourceVersion();
        List<Node> all = nodes.findAll();
        java.time.Instant now = clock.instant();
        all.forEach(node -> fleet.apply(node, now));
        hub.startAt(at);
        if (position < 0) {
            position = at;
        }
    }

    /** Applies every committed change after the last one applied; returns how many. */
    public synchronized int poll() {
        if (position < 0) {
            load();
        }
        int applied = 0;
        List<NodeChange> changes;
        do {
            changes = events.changesAfter(position, BATCH);
            for (NodeChange change : changes) {
                apply(change);
                applied++;
            }
        } while (changes.size() == BATCH);
        return applied;
    }

    /** Returns once every change up to {@code resourceVersion} (committed by this replica) is applied. */
    public void catchUp(long resourceVersion) {
        synchronized (this) {
            if (position >= resourceVersion) {
                return;
            }
            poll();
            if (position < resourceVersion) {
                // cannot happen while versions commit in order; the loop's next poll repairs it
                LOG.warn("resource version {} committed but not yet readable (feed at {})", resourceVersion, position);
            }
        }
    }

    /** The resource version of the latest change applied (-1 before {@link #load}). */
    public synchronized long position() {
        return position;
    }

    private void apply(NodeChange change) {
        switch (change.type()) {
            case ADDED, MODIFIED -> fleet.apply(change.node(), clock.instant());
            case DELETED -> fleet.remove(change.node().name());
        }
        hub.publish(change);
        position = change.resourceVersion();
    }
}
