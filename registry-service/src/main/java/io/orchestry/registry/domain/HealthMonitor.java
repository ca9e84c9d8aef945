package io.orchestry.registry.domain;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ages silent nodes: READY → SUSPECT → DOWN, by the time since each was last heard from, as the
 * {@link HealthPolicy} says. Runs on one instance (the leader, once leader election exists); time
 * comes from the injected clock, so tests drive it without sleeping.
 */
@Singleton
public class HealthMonitor {
    private final NodeService nodes;
    private final HealthPolicy policy;
    private final Clock clock;

    public HealthMonitor(NodeService nodes, HealthPolicy policy, Clock clock) {
        this.nodes = nodes;
        this.policy = policy;
        this.clock = clock;
    }

    /** Looks at every node once and applies every transition due, in one batch; returns the nodes that changed. */
    public List<Node> tick() {
        Instant now = clock.instant();
        List<NodeService.StatusChange> due = new ArrayList<>();
        for (FleetState.Tracked node : nodes.fleet().all()) {
            if (node.independent || node.lastHeard == null) {
                continue;
            }
            Instant lastHeard = node.lastHeard;
            Duration silence = Duration.between(lastHeard, now);
            NodeStatus current = node.status;
            NodeStatus next = policy.next(current, silence);
            if (next != current) {
                due.add(new NodeService.StatusChange(node.name, current, next, "no heartbeat for " + silence.toSeconds() + "s", lastHeard));
            }
        }
        return nodes.transitionAll(due);
    }
}
