package io.orchestry.registry.domain;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ages silent nodes: READY → SUSPECT → DOWN, by the time since each was last heard from, as the
 * {@link HealthPolicy} says. Runs on the leader only. A node may send its heartbeats to another
 * replica, so before it moves a node the monitor reads the node's latest heartbeat that any replica
 * flushed to the database; the move itself is a compare-and-set on the status and on that
 * heartbeat, fenced with the leader's epoch. Time comes from the injected clock.
 */
@Singleton
public class HealthMonitor {
    private final FleetState fleet;
    private final HeartbeatRepository heartbeats;
    private final NodeTransitions transitions;
    private final HealthPolicy policy;
    private final Clock clock;

    public HealthMonitor(FleetState fleet, HeartbeatRepository heartbeats, NodeTransitions transitions, HealthPolicy policy,
                         Clock clock) {
        this.fleet = fleet;
        this.heartbeats = heartbeats;
        this.transitions = transitions;
        this.policy = policy;
        this.clock = clock;
    }

    /** {@link #tick(Fencing)} unfenced (tests, and a registry without leader election). */
    public List<Node> tick() {
        return tick(Fencing.NONE);
    }

    /** Looks at every node once and applies every transition due, in one batch; returns the nodes that changed. */
    public List<Node> tick(Fencing fencing) {
        Instant now = clock.instant();
        List<String> silent = new ArrayList<>();
        for (FleetState.Tracked node : fleet.all()) {
            if (!node.independent() && due(node.status(), node.lastHeard(), now) != node.status()) {
                silent.add(node.name());
            }
        }
        if (silent.isEmpty()) {
            return List.of();
        }
        Map<String, Instant> stored = heartbeats.latest(silent);
        List<StatusChange> changes = new ArrayList<>();
        for (String name : silent) {
            Instant lastHeard = fleet.heardElsewhere(name, stored.get(name));
            FleetState.Tracked node = fleet.get(name);
            if (lastHeard == null || node == null) {
                continue;
            }
            NodeStatus current = node.status();
            NodeStatus next = due(current, lastHeard, now);
            if (next != current) {
                changes.add(new StatusChange(name, current, next,
                        "no heartbeat for " + Duration.between(lastHeard, now).toSeconds() + "s", lastHeard));
            }
        }
        return transitions.transitionAll(changes, fencing);
    }

    private NodeStatus due(NodeStatus current, Instant lastHeard, Instant now) {
        return lastHeard == null ? current : policy.next(current, Duration.between(lastHeard, now));
    }
}
