package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A machine or cluster that workloads can run on.
 *
 * @param version increases with every change; updates name the version they read
 */
public record Node(
        String name,
        DriverKind driverKind,
        String endpoint,
        String region,
        String provider,
        Map<String, String> labels,
        Resources capacity,
        Resources reserved,
        NodeStatus status,
        SchedulingMode schedulingMode,
        boolean independent,
        Instant lastHeartbeatAt,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public Node {
        labels = Map.copyOf(labels);
    }

    /** What workloads may use: capacity less what the node keeps for itself. */
    public Resources allocatable() {
        return capacity.minus(reserved);
    }
}
