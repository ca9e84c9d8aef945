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

    /** Looks at every node once; returns the transitions it made. */
    public List<NodeEvent> tick() {
        Instant now = clock.instant();
        List<NodeEvent> made = new ArrayList<>();
        for (FleetState.Tracked node : nodes.fleet().all()) {
            if (node.independent || node.lastHeard == null) {
                continue;
            }
            Duration silence = Duration.between(node.lastHeard, now);
            NodeStatus current = node.status;
            NodeStatus next = policy.next(current, silence);
            if (next != current) {
                String reason = "no heartbeat for " + silence.toMillis() / 1000 + "s";
                nodes.transition(node.name, current, next, reason).ifPresent(changed ->
                        made.add(new NodeEvent(0, changed.name(), current, changed.status(), changed.schedulingMode(), reason, now)));
            }
        }
        return made;
    }
}
