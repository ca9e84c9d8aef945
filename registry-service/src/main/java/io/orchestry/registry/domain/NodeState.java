package io.orchestry.registry.domain;

import java.time.Instant;

/** A node's status, scheduling mode, drain deadline (null unless draining) and independence. */
public record NodeState(NodeStatus status, SchedulingMode mode, Instant drainDeadline, boolean independent) {
    /** Where every new node starts: PENDING until its first heartbeat, schedulable. */
    public static final NodeState REGISTERED = new NodeState(NodeStatus.PENDING, SchedulingMode.SCHEDULABLE, null, false);

    static NodeState of(Node node) {
        return new NodeState(node.status(), node.schedulingMode(), node.drainDeadline(), node.independent());
    }
}
