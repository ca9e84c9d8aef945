package io.orchestry.registry.persistence;

import io.orchestry.registry.domain.NodeChange;
import io.orchestry.registry.domain.NodeStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Writes the outbox row of one change to one node, in the transaction of the change: its resource
 * version, its type and the node as the {@code node} row holds it now (so, for a deletion, call it
 * before the row goes). The credentials are not copied: a marker says whether there are any.
 */
final class NodeEventRows {
    /** The {@code node} row {@code n} as JSON, credentials replaced by a one-byte marker. */
    static final String SNAPSHOT = "to_jsonb(n) || jsonb_build_object('credentials',"
            + " CASE WHEN n.credentials IS NULL THEN NULL ELSE '\\x00'::bytea END)";

    private NodeEventRows() {
    }

    /**
     * @param transition whether the change is listed among the node's events (status or mode
     *                   transitions, registration, deletion) or only fed to watchers
     */
    static void record(Connection tx, String name, long resourceVersion, NodeChange.Type type, NodeStatus previous,
                       String reason, boolean transition, Instant at) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO node_event (resource_version, change_type, node_name,"
                + " previous_status, status, scheduling_mode, reason, occurred_at, node, transition)"
                + " SELECT ?, ?, n.name, ?, n.status, n.scheduling_mode, ?, ?,"
                + " jsonb_set(" + SNAPSHOT + ", '{resource_version}', to_jsonb(?::bigint)), ?"
                + " FROM node n WHERE n.name = ?")) {
            ps.setLong(1, resourceVersion);
            ps.setString(2, type.name());
            ps.setString(3, previous == null ? null : previous.name());
            ps.setString(4, reason);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.setLong(6, resourceVersion);
            ps.setBoolean(7, transition);
            ps.setString(8, name);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("node '" + name + "' vanished inside its own transaction");
            }
        }
    }
}
