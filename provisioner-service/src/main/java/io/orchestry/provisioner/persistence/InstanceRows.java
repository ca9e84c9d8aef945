package io.orchestry.provisioner.persistence;

import io.micronaut.json.tree.JsonNode;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceChange;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.InstanceState;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code instance} rows, and the outbox row of each watched change. A row read from an outbox snapshot
 * ({@code jsonb_populate_record(NULL::instance, e.instance)}) reads like a table row.
 */
@Singleton
final class InstanceRows {
    static final String COLUMNS = columns("instance");

    /** The columns {@link #read} reads, of the row (or snapshot) named {@code alias}. */
    static String columns(String alias) {
        return java.util.Arrays.stream(("id, app, project, revision, node_name, driver_kind, host, ports, state, health,"
                        + " restart_count, start_time, healthy_since, usage_cpu_millis, usage_memory_bytes, last_error,"
                        + " runtime_id, retiring, create_time, update_time").split(", "))
                .map(c -> c.equals("ports") ? alias + ".ports::text AS ports" : alias + "." + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private final JsonColumns json;

    InstanceRows(JsonColumns json) {
        this.json = json;
    }

    Instance read(ResultSet rs) throws SQLException {
        List<InstancePort> ports = new ArrayList<>();
        for (JsonNode port : json.read(rs.getString("ports")).values()) {
            ports.add(new InstancePort(port.get("name").getStringValue(), port.get("port").getIntValue()));
        }
        return new Instance(rs.getString("id"), rs.getString("app"), rs.getString("project"), rs.getLong("revision"),
                rs.getString("node_name"), DriverKind.valueOf(rs.getString("driver_kind")), rs.getString("host"), ports,
                InstanceState.valueOf(rs.getString("state")), InstanceHealth.valueOf(rs.getString("health")),
                rs.getInt("restart_count"), instant(rs.getTimestamp("start_time")), instant(rs.getTimestamp("healthy_since")),
                new ComputeResources(rs.getLong("usage_cpu_millis"), rs.getLong("usage_memory_bytes")),
                rs.getString("last_error"), rs.getString("runtime_id"), rs.getBoolean("retiring"),
                rs.getTimestamp("create_time").toInstant(), rs.getTimestamp("update_time").toInstant());
    }

    /** Inserts or replaces the row with {@code resourceVersion}. */
    void upsert(Connection tx, Instance i, long resourceVersion, boolean insert) throws SQLException {
        String sql = insert
                ? "INSERT INTO instance (id, app, project, revision, node_name, driver_kind, host, ports, state, health,"
                + " restart_count, start_time, healthy_since, usage_cpu_millis, usage_memory_bytes, last_error, runtime_id,"
                + " retiring, create_time, update_time, resource_version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
                : "UPDATE instance SET id = ?, app = ?, project = ?, revision = ?, node_name = ?, driver_kind = ?, host = ?,"
                + " ports = ?::jsonb, state = ?, health = ?, restart_count = ?, start_time = ?, healthy_since = ?,"
                + " usage_cpu_millis = ?, usage_memory_bytes = ?, last_error = ?, runtime_id = ?, retiring = ?,"
                + " create_time = ?, update_time = ?, resource_version = ? WHERE id = ?";
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            ps.setString(1, i.id());
            ps.setString(2, i.app());
            ps.setString(3, i.project());
            ps.setLong(4, i.revision());
            ps.setString(5, i.nodeName());
            ps.setString(6, i.driverKind().name());
            ps.setString(7, i.host());
            ps.setString(8, ports(i.ports()));
            ps.setString(9, i.state().name());
            ps.setString(10, i.health().name());
            ps.setInt(11, i.restartCount());
            ps.setTimestamp(12, AppRows.timestamp(i.startTime()));
            ps.setTimestamp(13, AppRows.timestamp(i.healthySince()));
            ps.setLong(14, i.usage().cpuMillis());
            ps.setLong(15, i.usage().memoryBytes());
            ps.setString(16, i.lastError());
            ps.setString(17, i.runtimeId());
            ps.setBoolean(18, i.retiring());
            ps.setTimestamp(19, Timestamp.from(i.createTime()));
            ps.setTimestamp(20, Timestamp.from(i.updateTime()));
            ps.setLong(21, resourceVersion);
            if (!insert) {
                ps.setString(22, i.id());
            }
            if (ps.executeUpdate() != 1) {
                throw insert ? new io.orchestry.error.AlreadyExistsException("instance", i.id())
                        : new io.orchestry.error.NotFoundException("instance", i.id());
            }
        }
    }

    /** The outbox row of a change to instance {@code id}, as the row is now (so, for a deletion, before it goes). */
    static void record(Connection tx, String id, long resourceVersion, InstanceChange.Type type, Instant at) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO instance_event (resource_version, change_type, instance_id,"
                + " app, project, instance, occurred_at) SELECT ?, ?, i.id, i.app, i.project, to_jsonb(i), ? FROM instance i"
                + " WHERE i.id = ?")) {
            ps.setLong(1, resourceVersion);
            ps.setString(2, type.name());
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setString(4, id);
            if (ps.executeUpdate() != 1) {
                throw new io.orchestry.error.NotFoundException("instance", id);
            }
        }
    }

    private String ports(List<InstancePort> ports) {
        List<JsonNode> nodes = new ArrayList<>();
        for (InstancePort port : ports) {
            nodes.add(SpecDocuments.object(Map.of("name", SpecDocuments.str(port.name()), "port", JsonNode.createNumberNode(port.port()))));
        }
        return json.write(JsonNode.createArrayNode(nodes));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
