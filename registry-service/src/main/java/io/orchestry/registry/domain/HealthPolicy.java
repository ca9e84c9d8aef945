package io.orchestry.registry.domain;

import java.time.Duration;

/**
 * When a silent node is SUSPECT and when it is DOWN. Pure: the monitor asks it for every node on
 * every tick, with the time since the node was last heard from.
 */
public record HealthPolicy(Duration heartbeatInterval, Duration suspectAfter, Duration downAfter) {

    public HealthPolicy {
        if (suspectAfter.compareTo(downAfter) >= 0) {
            throw new IllegalArgumentException("suspectAfter (" + suspectAfter + ") must be shorter than downAfter (" + downAfter + ")");
        }
    }

    /**
     * The status a node should have after {@code silence} without a heartbeat. Only READY and
     * SUSPECT age: PENDING waits for its first heartbeat, DOWN for its next, INDEPENDENT for nothing.
     */
    public NodeStatus next(NodeStatus current, Duration silence) {
        if (current != NodeStatus.READY && current != NodeStatus.SUSPECT) {
            return current;
        }
        if (silence.compareTo(downAfter) >= 0) {
            return NodeStatus.DOWN;
        }
        if (silence.compareTo(suspectAfter) >= 0) {
            return NodeStatus.SUSPECT;
        }
        return current;
    }
}
