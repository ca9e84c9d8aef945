package io.orchestry.provisioner.fleet;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.Resources;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/** The registry's {@code Node} as the provisioner keeps it. */
final class FleetNodeMapper {
    private FleetNodeMapper() {
    }

    /** Empty for a node of a driver kind this provisioner does not know (a newer registry's). */
    static Optional<FleetNode> toFleetNode(Node node) {
        Optional<DriverKind> kind = driverKind(node);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        Instant drainDeadline = node.hasDrainDeadline()
                ? Instant.ofEpochSecond(node.getDrainDeadline().getSeconds(), node.getDrainDeadline().getNanos())
                : null;
        return Optional.of(new FleetNode(node.getName(), kind.get(), node.getEndpoint(),
                address(kind.get(), node.getEndpoint()), node.getRegion(), node.getLabelsMap(),
                resources(node.getAllocatable()), status(node), mode(node), drainDeadline, node.getIndependent()));
    }

    /**
     * Where a node's workloads publish their ports: this machine for "local" and unix-socket docker endpoints, the host
     * of a {@code tcp://host:port} endpoint; empty when the endpoint names no host (a kubernetes context).
     */
    static String address(DriverKind kind, String endpoint) {
        if (endpoint.isEmpty() || endpoint.equals("local") || endpoint.startsWith("unix://")) {
            return kind == DriverKind.KUBERNETES ? "" : "127.0.0.1";
        }
        if (endpoint.startsWith("tcp://") || endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
            try {
                String host = URI.create(endpoint).getHost();
                if (host != null) {
                    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
                }
            } catch (IllegalArgumentException malformed) {
                return "";
            }
        }
        return "";
    }

    private static Optional<DriverKind> driverKind(Node node) {
        return switch (node.getDriverKind()) {
            case DRIVER_KIND_PROCESS -> Optional.of(DriverKind.PROCESS);
            case DRIVER_KIND_DOCKER -> Optional.of(DriverKind.DOCKER);
            case DRIVER_KIND_KUBERNETES -> Optional.of(DriverKind.KUBERNETES);
            default -> Optional.empty();
        };
    }

    private static ComputeResources resources(Resources resources) {
        return new ComputeResources(resources.getCpuMillis(), resources.getMemoryBytes());
    }

    private static FleetNode.Status status(Node node) {
        return switch (node.getStatus()) {
            case NODE_STATUS_READY -> FleetNode.Status.READY;
            case NODE_STATUS_SUSPECT -> FleetNode.Status.SUSPECT;
            case NODE_STATUS_DOWN -> FleetNode.Status.DOWN;
            case NODE_STATUS_INDEPENDENT -> FleetNode.Status.INDEPENDENT;
            default -> FleetNode.Status.PENDING;
        };
    }

    private static FleetNode.Mode mode(Node node) {
        return switch (node.getSchedulingMode()) {
            case SCHEDULING_MODE_CORDONED -> FleetNode.Mode.CORDONED;
            case SCHEDULING_MODE_DRAINING -> FleetNode.Mode.DRAINING;
            default -> FleetNode.Mode.SCHEDULABLE;
        };
    }
}
