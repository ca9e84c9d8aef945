package io.orchestry.registry.domain;

import java.util.Map;

/** Counts of nodes by status (every status, zeros included) and the fleet's resources. */
public record NodeStats(Map<NodeStatus, Integer> counts, int total, Resources capacity, Resources allocatable,
                        Resources allocated) {
}
