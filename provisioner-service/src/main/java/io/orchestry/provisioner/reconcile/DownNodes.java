package io.orchestry.provisioner.reconcile;

import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.NodeReach;
import io.orchestry.provisioner.runtime.Drivers;

import java.util.List;

/**
 * The fleet as the planner should see it: a node the registry shows DOWN counts as DOWN (its replicas forgotten and
 * placed elsewhere) only when the node agent tried it and could not reach it, or when this provisioner does not
 * heartbeat for it (an independent node, a kind it has no driver for). Until then it is SUSPECT: replicas stay, none
 * are placed there. Without this, a provisioner restart longer than the registry's down-after would find every node
 * DOWN and replace every replica it still runs.
 */
final class DownNodes {
    private DownNodes() {
    }

    static List<FleetNode> confirmed(List<FleetNode> fleet, NodeReach reach, Drivers drivers) {
        return fleet.stream().map(node -> {
            boolean ours = !node.independent() && drivers.supports(node.driverKind());
            if (node.status() != FleetNode.Status.DOWN || !ours || reach.of(node.name()) == NodeReach.Reach.SILENT) {
                return node;
            }
            return new FleetNode(node.name(), node.driverKind(), node.endpoint(), node.address(), node.region(),
                    node.labels(), node.allocatable(), FleetNode.Status.SUSPECT, node.mode(), node.drainDeadline(),
                    node.independent());
        }).toList();
    }
}
