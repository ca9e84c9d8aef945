package io.orchestry.provisioner.persistence;

import io.orchestry.error.NotFoundException;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.DeploymentStrategy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Reads and writes {@code deployment} rows. */
final class DeploymentRows {
    static final String COLUMNS = "id, app, project, from_revision, to_revision, state, strategy, trigger, message,"
            + " updated_replicas, desired_replicas, create_time, start_time, end_time";

    private DeploymentRows() {
    }

    static Deployment read(ResultSet rs) throws SQLException {
        return new Deployment(rs.getString("id"), rs.getString("app"), rs.getString("project"), rs.getLong("from_revision"),
                rs.getLong("to_revision"), Deployment.DeploymentState.valueOf(rs.getString("state")),
                DeploymentStrategy.valueOf(rs.getString("strategy")), Deployment.DeploymentTrigger.valueOf(rs.getString("trigger")),
                rs.getString("message"), rs.getInt("updated_replicas"), rs.getInt("desired_replicas"),
                rs.getTimestamp("create_time").toInstant(), instant(rs.getTimestamp("start_time")), instant(rs.getTimestamp("end_time")));
    }

    static void insert(Connection tx, Deployment d) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO deployment (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.id());
            ps.setString(2, d.app());
            ps.setString(3, d.project());
            ps.setLong(4, d.fromRevision());
            ps.setLong(5, d.toRevision());
            ps.setString(6, d.state().name());
            ps.setString(7, d.strategy().name());
            ps.setString(8, d.trigger().name());
            ps.setString(9, d.message());
            ps.setInt(10, d.updatedReplicas());
            ps.setInt(11, d.desiredReplicas());
            ps.setTimestamp(12, Timestamp.from(d.createTime()));
            ps.setTimestamp(13, AppRows.timestamp(d.startTime()));
            ps.setTimestamp(14, AppRows.timestamp(d.endTime()));
            ps.executeUpdate();
        }
    }

    /** Writes what a rollout changes (state, message, counts, times); NOT_FOUND when there is no such deployment. */
    static void update(Connection tx, Deployment d) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE deployment SET state = ?, message = ?, updated_replicas = ?,"
                + " desired_replicas = ?, start_time = ?, end_time = ? WHERE id = ?")) {
            ps.setString(1, d.state().name());
            ps.setString(2, d.message());
            ps.setInt(3, d.updatedReplicas());
            ps.setInt(4, d.desiredReplicas());
            ps.setTimestamp(5, AppRows.timestamp(d.startTime()));
            ps.setTimestamp(6, AppRows.timestamp(d.endTime()));
            ps.setString(7, d.id());
            if (ps.executeUpdate() != 1) {
                throw new NotFoundException("deployment", d.id());
            }
        }
    }

    /** Every unfinished deployment of the app becomes SUPERSEDED by {@code by}. */
    static void supersede(Connection tx, String app, String by, Instant at) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE deployment SET state = 'SUPERSEDED', end_time = ?,"
                + " message = ? WHERE app = ? AND state IN ('PENDING', 'IN_PROGRESS')")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, "superseded by deployment " + by);
            ps.setString(3, app);
            ps.executeUpdate();
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
