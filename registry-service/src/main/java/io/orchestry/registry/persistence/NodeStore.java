package io.orchestry.registry.persistence;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import io.orchestry.registry.domain.Allocation;
import io.orchestry.registry.domain.LabelSelector;
import io.orchestry.registry.domain.NodeQuery;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.Resources;
import io.orchestry.registry.domain.SchedulingMode;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code node} table. Every change that a watcher must see takes the next value of
 * {@code node_resource_version} and bumps {@code version}; a change that names a version only
 * applies to that version (optimistic concurrency).
 */
@Singleton
public class NodeStore {
    private static final String NEXT = "version = version + 1, resource_version = nextval('node_resource_version'), updated_at = ?";

    private final JdbcOperations jdbc;
    private final JsonMapper json;

    public NodeStore(JdbcOperations jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Inserts a new node; a duplicate name fails with SQLSTATE 23505. */
    @Transactional
    public NodeEntity insert(NodeEntity node) {
        String sql = """
                INSERT INTO node (name, driver_kind, endpoint, region, provider, labels,
                    capacity_cpu_millis, capacity_memory_bytes, capacity_disk_bytes,
                    reserved_cpu_millis, reserved_memory_bytes, reserved_disk_bytes,
                    status, scheduling_mode, independent, credentials, created_at, updated_at, version, resource_version)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, nextval('node_resource_version'))
                RETURNING *""";
        return jdbc.prepareStatement(sql, ps -> {
            int i = 0;
            ps.setString(++i, node.name());
            ps.setString(++i, node.driverKind().name());
            ps.setString(++i, node.endpoint());
            ps.setString(++i, node.region());
            ps.setString(++i, node.provider());
            ps.setString(++i, LabelsColumn.write(json, node.labels()));
            ps.setLong(++i, node.capacityCpuMillis());
            ps.setLong(++i, node.capacityMemoryBytes());
            ps.setLong(++i, node.capacityDiskBytes());
            ps.setLong(++i, node.reservedCpuMillis());
            ps.setLong(++i, node.reservedMemoryBytes());
            ps.setLong(++i, node.reservedDiskBytes());
            ps.setString(++i, node.status().name());
            ps.setString(++i, node.schedulingMode().name());
            ps.setBoolean(++i, node.independent());
            ps.setBytes(++i, node.credentials());
            ps.setTimestamp(++i, Timestamp.from(node.createdAt()));
            ps.setTimestamp(++i, Timestamp.from(node.updatedAt()));
            return single(ps).orElseThrow();
        });
    }

    @Transactional(readOnly = true)
    public Optional<NodeEntity> find(String name) {
        return jdbc.prepareStatement("SELECT * FROM node WHERE name = ?", ps -> {
            ps.setString(1, name);
            return single(ps);
        });
    }

    @Transactional(readOnly = true)
    public List<NodeEntity> findAll() {
        return jdbc.prepareStatement("SELECT * FROM node ORDER BY name", this::all);
    }

    /** One page in name order, {@code limit} rows at most. */
    @Transactional(readOnly = true)
    public List<NodeEntity> page(NodeQuery query, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM node WHERE name > ?");
        List<Object> args = new ArrayList<>();
        args.add(query.afterName());
        if (!query.statuses().isEmpty()) {
            sql.append(" AND status = ANY (?)");
            args.add(query.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (!query.region().isEmpty()) {
            sql.append(" AND region = ?");
            args.add(query.region());
        }
        if (query.driverKind() != null) {
            sql.append(" AND driver_kind = ?");
            args.add(query.driverKind().name());
        }
        for (LabelSelector.Term term : query.labelSelector().terms()) {
            switch (term.operator()) {
                case EQUALS -> {
                    sql.append(" AND labels @> ?::jsonb");
                    args.add(LabelsColumn.write(json, Map.of(term.key(), term.value())));
                }
                case NOT_EQUALS -> {
                    sql.append(" AND NOT labels @> ?::jsonb");
                    args.add(LabelsColumn.write(json, Map.of(term.key(), term.value())));
                }
                case EXISTS -> {
                    sql.append(" AND jsonb_exists(labels, ?)");
                    args.add(term.key());
                }
                case NOT_EXISTS -> {
                    sql.append(" AND NOT jsonb_exists(labels, ?)");
                    args.add(term.key());
                }
            }
        }
        sql.append(" ORDER BY name LIMIT ?");
        args.add(limit);
        return jdbc.prepareStatement(sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) {
                Object arg = args.get(i);
                if (arg instanceof String[] array) {
                    ps.setArray(i + 1, ps.getConnection().createArrayOf("varchar", array));
                } else {
                    ps.setObject(i + 1, arg);
                }
            }
            return all(ps);
        });
    }

    /** The resource version of the latest change to any node (0 before the first). */
    @Transactional(readOnly = true)
    public long currentResourceVersion() {
        return jdbc.prepareStatement(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM node_resource_version", ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
    }

    /**
     * Labels, capacity, reserved, region, provider, endpoint, credentials (null: leave) of the node at
     * {@code version}; empty when the node is missing or at another version.
     */
    @Transactional
    public Optional<NodeEntity> updateSpec(String name, long version, Map<String, String> labels, Resources capacity,
                                           Resources reserved, String region, String provider, String endpoint,
                                           byte[] credentials, Instant now) {
        String sql = "UPDATE node SET labels = ?::jsonb, capacity_cpu_millis = ?, capacity_memory_bytes = ?, capacity_disk_bytes = ?,"
                + " reserved_cpu_millis = ?, reserved_memory_bytes = ?, reserved_disk_bytes = ?, region = ?, provider = ?,"
                + " endpoint = ?, credentials = COALESCE(?, credentials), " + NEXT
                + " WHERE name = ? AND version = ? RETURNING *";
        return jdbc.prepareStatement(sql, ps -> {
            int i = 0;
            ps.setString(++i, LabelsColumn.write(json, labels));
            ps.setLong(++i, capacity.cpuMillis());
            ps.setLong(++i, capacity.memoryBytes());
            ps.setLong(++i, capacity.diskBytes());
            ps.setLong(++i, reserved.cpuMillis());
            ps.setLong(++i, reserved.memoryBytes());
            ps.setLong(++i, reserved.diskBytes());
            ps.setString(++i, region);
            ps.setString(++i, provider);
            ps.setString(++i, endpoint);
            ps.setBytes(++i, credentials);
            ps.setTimestamp(++i, Timestamp.from(now));
            ps.setString(++i, name);
            ps.setLong(++i, version);
            return single(ps);
        });
    }

    /** Sets status, scheduling mode, drain deadline and independence; empty when the node is missing. */
    @Transactional
    public Optional<NodeEntity> updateState(String name, NodeStatus status, SchedulingMode mode, Instant drainDeadline,
                                            boolean independent, Instant now) {
        String sql = "UPDATE node SET status = ?, scheduling_mode = ?, drain_deadline = ?, independent = ?, " + NEXT
                + " WHERE name = ? RETURNING *";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setString(1, status.name());
            ps.setString(2, mode.name());
            ps.setTimestamp(3, drainDeadline == null ? null : Timestamp.from(drainDeadline));
            ps.setBoolean(4, independent);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, name);
            return single(ps);
        });
    }

    /**
     * Moves many nodes to a new status in one statement; a node applies only if it is still in the
     * expected status. Returns the rows that changed, in resource-version order.
     */
    @Transactional
    public List<NodeEntity> transitionAll(List<String> names, List<NodeStatus> expected, List<NodeStatus> next, Instant now) {
        if (names.size() == 1) {
            // one node (a heartbeat's own transition): by primary key, not by a join over the table
            return jdbc.prepareStatement("UPDATE node SET status = ?, " + NEXT + " WHERE name = ? AND status = ? RETURNING *", ps -> {
                ps.setString(1, next.get(0).name());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, names.get(0));
                ps.setString(4, expected.get(0).name());
                return all(ps);
            });
        }
        String sql = "UPDATE node SET status = t.next, " + NEXT
                + " FROM unnest(?::varchar[], ?::varchar[], ?::varchar[]) AS t(name, expected, next)"
                + " WHERE node.name = t.name AND node.status = t.expected RETURNING node.*";
        List<NodeEntity> rows = jdbc.prepareStatement(sql, ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, ps.getConnection().createArrayOf("varchar", names.toArray()));
            ps.setArray(3, ps.getConnection().createArrayOf("varchar", expected.stream().map(Enum::name).toArray()));
            ps.setArray(4, ps.getConnection().createArrayOf("varchar", next.stream().map(Enum::name).toArray()));
            return all(ps);
        });
        return rows.stream().sorted(java.util.Comparator.comparingLong(NodeEntity::resourceVersion)).toList();
    }

    /** What the provisioner reports it placed on the node; empty when the node is missing. */
    @Transactional
    public Optional<NodeEntity> updateAllocation(String name, Allocation allocation, Instant now) {
        String sql = "UPDATE node SET allocated_cpu_millis = ?, allocated_memory_bytes = ?, allocated_disk_bytes = ?,"
                + " allocated_workloads = ?, " + NEXT + " WHERE name = ? RETURNING *";
        return jdbc.prepareStatement(sql, ps -> {
            ps.setLong(1, allocation.resources().cpuMillis());
            ps.setLong(2, allocation.resources().memoryBytes());
            ps.setLong(3, allocation.resources().diskBytes());
            ps.setInt(4, allocation.workloads());
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, name);
            return single(ps);
        });
    }

    /** Deletes the node and returns the resource version of its deletion; empty when it was missing. */
    @Transactional
    public Optional<Long> delete(String name) {
        boolean deleted = jdbc.prepareStatement("DELETE FROM node WHERE name = ?", ps -> {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        });
        if (!deleted) {
            return Optional.empty();
        }
        return Optional.of(jdbc.prepareStatement("SELECT nextval('node_resource_version')", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }));
    }

    /**
     * Writes the latest heartbeat of many nodes in one statement (the rows joined to arrays, not one
     * statement per node); heartbeats do not change versions.
     */
    @Transactional
    public void writeHeartbeats(List<HeartbeatRow> beats) {
        if (beats.isEmpty()) {
            return;
        }
        int n = beats.size();
        String[] names = new String[n];
        Timestamp[] times = new Timestamp[n];
        Long[] cpu = new Long[n];
        Long[] memory = new Long[n];
        Long[] disk = new Long[n];
        Integer[] workloads = new Integer[n];
        for (int i = 0; i < n; i++) {
            HeartbeatRow beat = beats.get(i);
            names[i] = beat.name();
            times[i] = Timestamp.from(beat.at());
            cpu[i] = beat.usage().cpuMillis();
            memory[i] = beat.usage().memoryBytes();
            disk[i] = beat.usage().diskBytes();
            workloads[i] = beat.usage().workloads();
        }
        jdbc.prepareStatement("UPDATE node SET last_heartbeat_at = b.at, usage_cpu_millis = b.cpu, usage_memory_bytes = b.memory,"
                + " usage_disk_bytes = b.disk, usage_workloads = b.workloads"
                + " FROM unnest(?::varchar[], ?::timestamptz[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[])"
                + " AS b(name, at, cpu, memory, disk, workloads) WHERE node.name = b.name", ps -> {
            java.sql.Connection connection = ps.getConnection();
            ps.setArray(1, connection.createArrayOf("varchar", names));
            ps.setArray(2, connection.createArrayOf("timestamptz", times));
            ps.setArray(3, connection.createArrayOf("bigint", cpu));
            ps.setArray(4, connection.createArrayOf("bigint", memory));
            ps.setArray(5, connection.createArrayOf("bigint", disk));
            ps.setArray(6, connection.createArrayOf("int4", workloads));
            return ps.executeUpdate();
        });
    }

    /** Counts by status and resource sums over all nodes. */
    @Transactional(readOnly = true)
    public NodeTotals totals() {
        return jdbc.prepareStatement("""
                SELECT status, count(*),
                       sum(capacity_cpu_millis), sum(capacity_memory_bytes), sum(capacity_disk_bytes),
                       sum(reserved_cpu_millis), sum(reserved_memory_bytes), sum(reserved_disk_bytes),
                       sum(allocated_cpu_millis), sum(allocated_memory_bytes), sum(allocated_disk_bytes)
                FROM node GROUP BY status""", ps -> {
            Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
            long[] sums = new long[9];
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(NodeStatus.valueOf(rs.getString(1)), rs.getInt(2));
                    for (int i = 0; i < sums.length; i++) {
                        sums[i] += rs.getLong(3 + i);
                    }
                }
            }
            Resources capacity = new Resources(sums[0], sums[1], sums[2]);
            Resources reserved = new Resources(sums[3], sums[4], sums[5]);
            return new NodeTotals(counts, capacity, capacity.minus(reserved), new Resources(sums[6], sums[7], sums[8]));
        });
    }

    private Optional<NodeEntity> single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(jdbc.readEntity(rs, NodeEntity.class)) : Optional.empty();
        }
    }

    private List<NodeEntity> all(PreparedStatement ps) throws SQLException {
        List<NodeEntity> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(jdbc.readEntity(rs, NodeEntity.class));
            }
        }
        return rows;
    }

}
