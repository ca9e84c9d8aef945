package io.orchestry.provisioner.placement;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.KeptData;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where a new database goes (pure): back to the node that kept its data; else the node asked for (as a pod's nodeName,
 * that bypasses scheduling: a cordoned node takes it; it must only be in the fleet, run databases and have the
 * version); else, of the nodes
 * that take placements, run databases ({@code runsDatabases}) and have the version ({@code versionsOf}), the one with
 * the most allocatable memory that fits the request (then by name). A database never moves afterwards: its data is on
 * its node.
 */
public final class DatabasePlacer {
    private DatabasePlacer() {
    }

    public static FleetNode place(String project, String version, ComputeResources request, String nodeName,
                                  Optional<KeptData> kept, List<FleetNode> nodes, Predicate<FleetNode> runsDatabases,
                                  Function<FleetNode, Set<String>> versionsOf) {
        if (kept.isPresent()) {
            KeptData k = kept.get();
            if (!k.engineVersion().equals(version)) {
                throw new InvalidArgumentException("engineVersion", "the data kept for " + project + " is PostgreSQL "
                        + k.engineVersion() + "; create it with that version (or delete the kept data first)");
            }
            if (!nodeName.isEmpty() && !nodeName.equals(k.nodeName())) {
                throw new InvalidArgumentException("nodeName", "the data kept for " + project + " is on node "
                        + k.nodeName());
            }
            nodeName = k.nodeName();
        }
        if (!nodeName.isEmpty()) {
            String name = nodeName;
            FleetNode node = nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                    .orElseThrow(() -> new InvalidArgumentException("nodeName", "no node " + name + " in the fleet"));
            if (!runsDatabases.test(node)) {
                throw new FailedPreconditionException("node " + name + " (" + node.driverKind().name().toLowerCase()
                        + ") cannot run databases");
            }
            Set<String> versions = versionsOf.apply(node);
            if (!versions.contains(version)) {
                throw new FailedPreconditionException("node " + name + " has no PostgreSQL " + version
                        + (versions.isEmpty() ? "" : " (it has " + String.join(", ", versions.stream().sorted().toList()) + ")"));
            }
            return node;
        }
        List<FleetNode> candidates = nodes.stream().filter(FleetNode::acceptsPlacements).filter(runsDatabases)
                .filter(n -> request.fitsIn(n.allocatable() == null ? ComputeResources.ZERO : n.allocatable()))
                .sorted(Comparator.comparingLong((FleetNode n) -> -n.allocatable().memoryBytes())
                        .thenComparing(FleetNode::name))
                .toList();
        for (FleetNode node : candidates) {
            if (versionsOf.apply(node).contains(version)) {
                return node;
            }
        }
        throw ResourceExhaustedException.capacity("database of " + project + " cannot be placed: " + (candidates.isEmpty()
                ? "no node that takes placements and runs databases has " + request.memoryBytes() + " bytes and "
                        + request.cpuMillis() + " millicores free"
                : "no such node has PostgreSQL " + version));
    }
}
