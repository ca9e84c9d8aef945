package io.orchestry.registry.domain;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies status transitions (the monitor's, and those heartbeats cause) in batches. Each is a
 * compare-and-set in the database (the status it expects; for the monitor's, no heartbeat stored
 * since), so of two replicas asking for the same transition exactly one makes it, and records its
 * one event.
 */
@Singleton
public class NodeTransitions {
    private final NodeTransitionRepository repository;
    private final FleetState fleet;
    private final NodeChangeFeed feed;
    private final Clock clock;

    public NodeTransitions(NodeTransitionRepository repository, FleetState fleet, NodeChangeFeed feed, Clock clock) {
        this.repository = repository;
        this.fleet = fleet;
        this.feed = feed;
        this.clock = clock;
    }

    /**
     * Applies the changes that are still due as this replica knows it (one per node: the last asked
     * for), in one transaction; returns the nodes that changed, once the fleet state and the watchers
     * of this replica have them.
     */
    public List<Node> transitionAll(List<StatusChange> changes, Fencing fencing) {
        Map<String, StatusChange> due = new LinkedHashMap<>();
        for (StatusChange change : changes) {
            if (stillDue(change)) {
                due.put(change.name(), change);
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Node> changed = repository.transitionAll(List.copyOf(due.values()), now, fencing);
        if (!changed.isEmpty()) {
            feed.catchUp(changed.get(changed.size() - 1).resourceVersion());
        }
        return changed;
    }

    private boolean stillDue(StatusChange change) {
        FleetState.Tracked tracked = fleet.get(change.name());
        return tracked != null && tracked.status() == change.expected()
                && (change.lastHeard() == null || !tracked.lastHeard().isAfter(change.lastHeard()));
    }
}
