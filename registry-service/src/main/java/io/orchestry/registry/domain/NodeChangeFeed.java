package io.orchestry.registry.domain;

import io.orchestry.watch.server.ChangeFeed;
import io.orchestry.watch.server.WatchHub;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The node event log followed by resource version ({@link ChangeFeed}): each committed change, in order, goes to this
 * replica's {@link FleetState} and then to its watchers. A loop polls it for other replicas' changes; a change made
 * here calls {@link #catchUp} after its commit, so its caller, the fleet state and the watchers have it before the call
 * is answered.
 */
@Singleton
public class NodeChangeFeed {
    private final NodeRepository nodes;
    private final FleetState fleet;
    private final Clock clock;
    private final ChangeFeed<NodeChange> feed;

    public NodeChangeFeed(NodeRepository nodes, NodeEventRepository events, FleetState fleet, WatchHub<NodeChange> hub,
                          Clock clock) {
        this.nodes = nodes;
        this.fleet = fleet;
        this.clock = clock;
        this.feed = new ChangeFeed<>(events::changesAfter, hub, this::apply);
    }

    /**
     * Loads every node into the fleet state and starts following from the version the database held before it read
     * them; each node not known yet is treated as heard from now (a restart declares nobody DOWN early).
     */
    public synchronized void load() {
        long at = nodes.currentResourceVersion();
        List<Node> all = nodes.findAll();
        Instant now = clock.instant();
        all.forEach(node -> fleet.apply(node, now));
        feed.startAt(at);
    }

    /** Applies every committed change after the last one applied; returns how many. */
    public synchronized int poll() {
        if (!feed.started()) {
            load();
        }
        return feed.poll();
    }

    /** Returns once every change up to {@code resourceVersion} (committed by this replica) is applied. */
    public synchronized void catchUp(long resourceVersion) {
        if (!feed.started()) {
            load();
        }
        feed.catchUp(resourceVersion);
    }

    /** The resource version of the latest change applied (-1 before {@link #load}). */
    public long position() {
        return feed.position();
    }

    private void apply(NodeChange change) {
        switch (change.type()) {
            case ADDED, MODIFIED -> fleet.apply(change.node(), clock.instant());
            case DELETED -> fleet.remove(change.node().name());
        }
    }
}
