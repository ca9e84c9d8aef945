package io.orchestry.registry.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.orchestry.registry.domain.Allocation;
import io.orchestry.registry.domain.Node;
import io.orchestry.registry.domain.NodeUsage;
import io.orchestry.registry.domain.Resources;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code node} rows (or rows of the same shape) into the domain's {@link Node}; the credentials stay in the row. */
final class NodeRows {
    static final String KIND = "node";

    private final JdbcOperations jdbc;

    NodeRows(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Node> single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    List<Node> all(PreparedStatement ps) throws SQLException {
        List<Node> nodes = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                nodes.add(read(rs));
            }
        }
        return nodes;
    }

    Node read(ResultSet rs) {
        return toNode(jdbc.readEntity(rs, NodeEntity.class));
    }

    static Node toNode(NodeEntity row) {
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
