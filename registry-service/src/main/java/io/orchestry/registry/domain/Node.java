package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A machine or cluster that workloads can run on.
 *
 * @param lastHeartbeatAt  null until the first heartbeat
 * @param drainDeadline    set while draining: workloads must be gone by then
 * @param hasCredentials   credentials are stored (encrypted); they are never read back out
 * @param version          increases with every change; updates name the version they read
 * @param resourceVersion  the position of the node's latest change among all node changes (for watches)
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
        Allocation allocation,
        NodeUsage usage,
        NodeStatus status,
        SchedulingMode schedulingMode,
        Instant drainDeadline,
        boolean independent,
        boolean hasCredentials,
        Instant lastHeartbeatAt,
        Instant createdAt,
        Instant updatedAt,
        long version,
        long resourceVersion) {

    public Node {
        labels = Map.copyOf(labels);
    }

    /** What workloads may use: capacity less what the node keeps for itself. */
    public Resources allocatable() {
        return capacity.minus(reserved);
    }

}
