package io.orchestry.provisioner.fleet;

import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.runtime.NodeTarget;

/** Where a driver reaches a fleet node. */
public final class NodeTargets {
    private NodeTargets() {
    }

    public static NodeTarget of(FleetNode node) {
        return new NodeTarget(node.name(), node.driverKind(), node.endpoint(), node.address());
    }
}
