package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.FleetNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drains asked for through {@link io.orchestry.provisioner.domain.NodeDrainer} before the fleet's watch shows the node
 * DRAINING: the planner sees such a node as draining with the asked deadline. Once the fleet shows the node in another
 * mode than schedulable, the fleet is the truth and the request is dropped.
 */
final class DrainRequests {
    private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();

    void request(String node, Instant deadline) {
        deadlines.put(node, deadline);
    }

    /** The fleet with requested drains laid over nodes the watch still shows schedulable. */
    List<FleetNode> overlay(List<FleetNode> fleet) {
        if (deadlines.isEmpty()) {
            return fleet;
        }
        return fleet.stream().map(node -> {
            Instant deadline = deadlines.get(node.name());
            if (deadline == null) {
                return node;
            }
            if (node.mode() != FleetNode.Mode.SCHEDULABLE) {
                deadlines.remove(node.name(), deadline);
                return node;
            }
            return new FleetNode(node.name(), node.driverKind(), node.endpoint(), node.address(), node.region(),
                    node.labels(), node.allocatable(), node.status(), FleetNode.Mode.DRAINING, deadline,
                    node.independent());
        }).toList();
    }
}
