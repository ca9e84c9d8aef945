package io.orchestry.registry.domain;

import java.time.Instant;

/**
 * A status change the heartbeat path or the monitor wants: applies only if the node is still in
 * {@code expected} and, when {@code lastHeard} is given (the monitor's reading), has not been heard
 * from since (neither by this replica nor in the heartbeats another replica flushed).
 */
public record StatusChange(String name, NodeStatus expected, NodeStatus next, String reason, Instant lastHeard) {
}
