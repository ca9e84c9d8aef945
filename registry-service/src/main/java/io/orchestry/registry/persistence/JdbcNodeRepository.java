package io.orchestry.registry.persistence;

import io.orchestry.database.failures.Transactions;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.orchestry.database.failures.DatabaseFailures;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.paging.PageRequest;
import io.orchestry.registry.domain.Allocation;
import io.orchestry.registry.domain.NewNode;
import io.orchestry.registry.domain.Node;
import io.orchestry.registry.domain.NodeChange;
import io.orchestry.registry.domain.NodeQuery;
import io.orchestry.registry.domain.NodeRegistration;
import io.orchestry.registry.domain.NodeRepository;
import io.orchestry.registry.domain.NodeSpec;
import io.orchestry.registry.domain.NodeState;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.NodeTotals;
import io.orchestry.registry.domain.Resources;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code node} table. Every change takes the next resource version (under the counter's lock),
 * bumps {@code version}, and writes its outbox row, all in one transaction; a change that names a
 * version applies only to that version (optimistic concurrency).
 */
@Singleton
class JdbcNodeRepository implements NodeRepository {
    private static final String NEXT = "version = version + 1, resource_version = ?, updated_at = ?";

    private final Transactions transactions;
    private final NodeRows rows;
    private final JsonMapper json;

    JdbcNodeRepository(Transactions transactions, JdbcOperations jdbc, JsonMapper json) {
        this.transactions = transactions;
        this.rows = new NodeRows(jdbc);
        this.json = json;
    }

    @Override
    public Optional<Node> find(String name) {
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT * FROM node WHERE name = ?")) {
                ps.setString(1, name);
                return rows.single(ps);
            }
        });
    }

    @Override
    public List<Node> findAll() {
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("SELECT * FROM node ORDER BY name")) {
                return rows.all(ps);
            }
        });
    }

    @Override
    public List<Node> page(NodeQuery query, PageRequest page) {
        NodeQuerySql sql = new NodeQuerySql(json, query, page);
        return transactions.read(tx -> {
            try (PreparedStatement ps = sql.prepare(tx.getConnection())) {
                return rows.all(ps);
            }
        });
    }

    @Override
    public long currentResourceVersion() {
        return transactions.read(tx -> ResourceVersions.current(tx.getConnection()));
    }

    @Override
    public NodeTotals totals() {
        return transactions.read(tx -> {
            try (PreparedStatement ps = tx.getConnection().prepareStatement("""
                    SELECT status, count(*),
                           sum(capacity_cpu_millis), sum(capacity_memory_bytes), sum(capacity_disk_bytes),
                           sum(reserved_cpu_millis), sum(reserved_memory_bytes), sum(reserved_disk_bytes),
                           sum(allocated_cpu_millis), sum(allocated_memory_bytes), sum(allocated_disk_bytes)
                    FROM node GROUP BY status""");
                 ResultSet rs = ps.executeQuery()) {
                Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
                long[] sums = new long[9];
                while (rs.next()) {
                    counts.put(NodeStatus.valueOf(rs.getString(1)), rs.getInt(2));
                    for (int i = 0; i < sums.length; i++) {
                        sums[i] += rs.getLong(3 + i);
                    }
                }
                Resources capacity = new Resources(sums[0], sums[1], sums[2]);
                Resources reserved = new Resources(sums[3], sums[4], sums[5]);
                return new NodeTotals(counts, capacity, capacity.minus(reserved), new Resources(sums[6], sums[7], sums[8]));
            }
        });
    }

    @Override
    public Node insert(NewNode node, String reason) {
        NodeRegistration registration = node.registration();
        try {
            return transactions.write(tx -> {
                Connection connection = tx.getConnection();
                long resourceVersion = ResourceVersions.take(connection, 1);
                Node stored;
                try (PreparedStatement ps = connection.prepareStatement("""
                        INSERT INTO node (name, driver_kind, endpoint, region, provider, labels,
                            capacity_cpu_millis, capacity_memory_bytes, capacity_disk_bytes,
                            reserved_cpu_millis, reserved_memory_bytes, reserved_disk_bytes,
                            status, scheduling_mode, drain_deadline, independent, credentials,
                            created_at, updated_at, version, resource_version)
                        VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                        RETURNING *""")) {
                    int i = 0;
                    ps.setString(++i, registration.name());
                    ps.setString(++i, registration.driverKind().name());
                    ps.setString(++i, registration.endpoint());
                    ps.setString(++i, registration.region());
                    ps.setString(++i, registration.provider());
                    ps.setString(++i, LabelsColumn.write(json, registration.labels()));
                    i = setResources(ps, i, registration.capacity());
                    i = setResources(ps, i, registration.reserved());
                    ps.setString(++i, node.state().status().name());
                    ps.setString(++i, node.state().mode().name());
                    ps.setTimestamp(++i, timestamp(node.state().drainDeadline()));
                    ps.setBoolean(++i, node.state().independent());
                    ps.setBytes(++i, node.sealedCredentials() == null ? null : node.sealedCredentials().toByteArray());
                    ps.setTimestamp(++i, Timestamp.from(node.at()));
                    ps.setTimestamp(++i, Timestamp.from(node.at()));
                    ps.setLong(++i, resourceVersion);
                    stored = rows.single(ps).orElseThrow();
                }
                NodeEventRows.record(connection, stored.name(), resourceVersion, NodeChange.Type.ADDED, null, reason, true, node.at());
                return stored;
            });
        } catch (RuntimeException e) {
            if (DatabaseFailures.isDuplicateKey(e)) {
                throw new AlreadyExistsException(NodeRows.KIND, registration.name());
            }
            throw e;
        }
    }

    @Override
    public Optional<Node> updateSpec(String name, long version, NodeSpec spec, Instant now) {
        return transactions.write(tx -> {
            Connection connection = tx.getConnection();
            long resourceVersion = ResourceVersions.take(connection, 1);
            Optional<Node> changed;
            try (PreparedStatement ps = connection.prepareStatement("UPDATE node SET labels = ?::jsonb,"
                    + " capacity_cpu_millis = ?, capacity_memory_bytes = ?, capacity_disk_bytes = ?,"
                    + " reserved_cpu_millis = ?, reserved_memory_bytes = ?, reserved_disk_bytes = ?, region = ?, provider = ?,"
                    + " endpoint = ?, credentials = COALESCE(?, credentials), " + NEXT
                    + " WHERE name = ? AND version = ? RETURNING *")) {
                int i = 0;
                ps.setString(++i, LabelsColumn.write(json, spec.labels()));
                i = setResources(ps, i, spec.capacity());
                i = setResources(ps, i, spec.reserved());
                ps.setString(++i, spec.region());
                ps.setString(++i, spec.provider());
                ps.setString(++i, spec.endpoint());
                ps.setBytes(++i, spec.sealedCredentials() == null ? null : spec.sealedCredentials().toByteArray());
                ps.setLong(++i, resourceVersion);
                ps.setTimestamp(++i, Timestamp.from(now));
                ps.setString(++i, name);
                ps.setLong(++i, version);
                changed = rows.single(ps);
            }
            if (changed.isPresent()) {
                NodeEventRows.record(connection, name, resourceVersion, NodeChange.Type.MODIFIED, changed.get().status(),
                        "updated", false, now);
            }
            return changed;
        });
    }

    @Override
    public Optional<Node> updateState(String name, NodeState state, String reason, Instant now) {
        return transactions.write(tx -> {
            Connection connection = tx.getConnection();
            long resourceVersion = ResourceVersions.take(connection, 1);
            Optional<NodeStatus> previous = status(connection, name);
            if (previous.isEmpty()) {
                return Optional.<Node>empty();
            }
            Node changed;
            try (PreparedStatement ps = connection.prepareStatement("UPDATE node SET status = ?, scheduling_mode = ?,"
                    + " drain_deadline = ?, independent = ?, " + NEXT + " WHERE name = ? RETURNING *")) {
                ps.setString(1, state.status().name());
                ps.setString(2, state.mode().name());
                ps.setTimestamp(3, timestamp(state.drainDeadline()));
                ps.setBoolean(4, state.independent());
                ps.setLong(5, resourceVersion);
                ps.setTimestamp(6, Timestamp.from(now));
                ps.setString(7, name);
                changed = rows.single(ps).orElseThrow();
            }
            NodeEventRows.record(connection, name, resourceVersion, NodeChange.Type.MODIFIED, previous.get(),
                    reason == null ? "updated" : reason, reason != null, now);
            return Optional.of(changed);
        });
    }

    @Override
    public Optional<Node> updateAllocation(String name, Allocation allocation, Instant now) {
        return transactions.write(tx -> {
            Connection connection = tx.getConnection();
            long resourceVersion = ResourceVersions.take(connection, 1);
            Optional<Node> changed;
            try (PreparedStatement ps = connection.prepareStatement("UPDATE node SET allocated_cpu_millis = ?,"
                    + " allocated_memory_bytes = ?, allocated_disk_bytes = ?, allocated_workloads = ?, " + NEXT
                    + " WHERE name = ? RETURNING *")) {
                int i = setResources(ps, 0, allocation.resources());
                ps.setInt(++i, allocation.workloads());
                ps.setLong(++i, resourceVersion);
                ps.setTimestamp(++i, Timestamp.from(now));
                ps.setString(++i, name);
                changed = rows.single(ps);
            }
            if (changed.isPresent()) {
                NodeEventRows.record(connection, name, resourceVersion, NodeChange.Type.MODIFIED, changed.get().status(),
                        "allocation reported", false, now);
            }
            return changed;
        });
    }

    @Override
    public OptionalLong delete(String name, String reason, Instant now) {
        return transactions.write(tx -> {
            Connection connection = tx.getConnection();
            long resourceVersion = ResourceVersions.take(connection, 1);
            Optional<NodeStatus> previous = status(connection, name);
            if (previous.isEmpty()) {
                return OptionalLong.empty();
            }
            NodeEventRows.record(connection, name, resourceVersion, NodeChange.Type.DELETED, previous.get(), reason, true, now);
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM node WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return OptionalLong.of(resourceVersion);
        });
    }

    /** The node's status, its row locked for the rest of the transaction; empty when it is missing. */
    private static Optional<NodeStatus> status(Connection connection, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT status FROM node WHERE name = ? FOR UPDATE")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(NodeStatus.valueOf(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static int setResources(PreparedStatement ps, int index, Resources resources) throws SQLException {
        ps.setLong(++index, resources.cpuMillis());
        ps.setLong(++index, resources.memoryBytes());
        ps.setLong(++index, resources.diskBytes());
        return index;
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
