package io.orchestry.registry.persistence;

import io.orchestry.registry.domain.Node;
import io.orchestry.registry.domain.Resources;

/** Maps between the domain's {@link Node} and the {@code node} row. */
public final class NodeRows {
    private NodeRows() {
    }

    public static NodeEntity toEntity(Node node) {
        return new NodeEntity(node.name(), node.driverKind(), node.endpoint(), node.region(), node.provider(),
                node.labels(),
                node.capacity().cpuMillis(), node.capacity().memoryBytes(), node.capacity().diskBytes(),
                node.reserved().cpuMillis(), node.reserved().memoryBytes(), node.reserved().diskBytes(),
                node.status(), node.schedulingMode(), node.independent(), node.lastHeartbeatAt(),
                node.createdAt(), node.updatedAt(), node.version());
    }

    public static Node toNode(NodeEntity row) {
        return new Node(row.name(), row.driverKind(), row.endpoint(), row.region(), row.provider(),
                row.labels() == null ? java.util.Map.of() : row.labels(),
                new Resources(row.capacityCpuMillis(), row.capacityMemoryBytes(), row.capacityDiskBytes()),
                new Resources(row.reservedCpuMillis(), row.reservedMemoryBytes(), row.reservedDiskBytes()),
                row.status(), row.schedulingMode(), row.independent(), row.lastHeartbeatAt(),
                row.createdAt(), row.updatedAt(), row.version());
    }
}
