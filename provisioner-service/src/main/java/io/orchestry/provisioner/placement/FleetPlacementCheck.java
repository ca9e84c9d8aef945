package io.orchestry.provisioner.placement;

import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.PlacementCheck;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API's placement check: the {@link Placer} asked for one replica against every node of the fleet as if each were
 * READY, schedulable and empty. Only what does not pass with time fails — no node of the kind, regions or selector that
 * match none, requests larger than any node's capacity; a node that is down, cordoned or full now is the reconciler's to
 * wait for (Degraded, InsufficientCapacity). Independent nodes never take placements and do not count.
 */
@Singleton
public class FleetPlacementCheck implements PlacementCheck {
    private final Fleet fleet;
    private final Placer placer;

    public FleetPlacementCheck(Fleet fleet, Placer placer) {
        this.fleet = fleet;
        this.placer = placer;
    }

    @Override
    public void requirePlaceable(String app, AppSpec spec) {
        if (!fleet.listed() || spec.replicas() <= 0) {
            return; // the fleet is not known yet: accept, the reconciler decides
        }
        List<FleetNode> nodes = fleet.nodes().stream().filter(n -> !n.independent()).map(
                FleetPlacementCheck::asIfReady).toList();
        String kind = spec.runtime().driverKind().name().toLowerCase(Locale.ROOT);
        if (nodes.stream().noneMatch(n -> n.driverKind() == spec.runtime().driverKind())) {
            throw ResourceExhaustedException.capacity("app '" + app + "' cannot be placed: no " + kind
                    + " node in the fleet (" + nodes.size() + " node" + (nodes.size() == 1 ? "" : "s") + " of other kinds)");
        }
        try {
            placer.place(spec, 1, nodes, Map.of(), Map.of());
        } catch (ResourceExhaustedException e) {
            throw ResourceExhaustedException.capacity("app '" + app + "' cannot be placed: " + e.getMessage());
        }
    }

    private static FleetNode asIfReady(FleetNode n) {
        return new FleetNode(n.name(), n.driverKind(), n.endpoint(), n.address(), n.region(), n.labels(),
                n.allocatable() == null ? ComputeResources.ZERO : n.allocatable(), FleetNode.Status.READY,
                FleetNode.Mode.SCHEDULABLE, null, false);
    }
}
