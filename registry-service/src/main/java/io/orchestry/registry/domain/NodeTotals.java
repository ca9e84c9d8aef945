package io.orchestry.registry.domain;

import java.util.Map;

/** Counts of nodes by status and the fleet's capacity, allocatable and allocated resources. */
public record NodeTotals(Map<NodeStatus, Integer> counts, Resources capacity, Resources allocatable, Resources allocated) {
}
