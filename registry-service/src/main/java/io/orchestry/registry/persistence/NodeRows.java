package io.orchestry.registry.persistence;

import io.orchestry.registry.domain.Allocation;
import io.orchestry.registry.domain.Node;
import io.orchestry.registry.domain.NodeUsage;
import io.orchestry.registry.domain.Resources;

import java.util.Map;

/** Maps a {@code node} row to the domain's {@link Node}; the credentials stay in the row. */
public final class NodeRows {
    private NodeRows() {
    }

    public static Node toNode(NodeEntity row) {
        return new Node(row.name(), row.driverKind(), row.endpoint(), row.region(), row.provider(),
                row.labels() == null ? Map.of() : row.labels(),
                new Resources(row.capacityCpuMillis(), row.capacityMemoryBytes(), row.capacityDiskBytes()),
                new Resources(row.reservedCpuMillis(), row.reservedMemoryBytes(), row.reservedDiskBytes()),
                new Allocation(new Resources(row.allocatedCpuMillis(), row.allocatedMemoryBytes(), row.allocatedDiskBytes()),
                        row.allocatedWorkloads()),
                new NodeUsage(row.usageCpuMillis(), row.usageMemoryBytes(), row.usageDiskBytes(), row.usageWorkloads()),
                row.status(), row.schedulingMode(), row.drainDeadline(), row.independent(),
                row.credentials() != null, row.lastHeartbeatAt(), row.createdAt(), row.updatedAt(),
                row.version(), row.resourceVersion());
    }
}
