package io.orchestry.provisioner.persistence;

import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.Revision;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Reads and writes {@code app} and {@code app_revision} rows. */
@Singleton
final class AppRows {
    static final String COLUMNS = "name, project, labels::text AS labels, spec::text AS spec, generation, revision, stopped,"
            + " deleting, restarted_at, create_time, update_time, version, status::text AS status";

    private final JsonColumns json;

    AppRows(JsonColumns json) {
        this.json = json;
    }

    App read(ResultSet rs) throws SQLException {
        Timestamp restarted = rs.getTimestamp("restarted_at");
        return new App(rs.getString("name"), rs.getString("project"), json.labels(rs.getString("labels")),
                SpecDocuments.read(json.read(rs.getString("spec"))), rs.getLong("generation"), rs.getLong("revision"),
                rs.getBoolean("stopped"), rs.getBoolean("deleting"), restarted == null ? null : restarted.toInstant(),
                rs.getTimestamp("create_time").toInstant(), rs.getTimestamp("update_time").toInstant(),
                rs.getLong("version"), StatusDocuments.read(json.read(rs.getString("status"))));
    }

    String spec(App app) {
        return json.write(SpecDocuments.write(app.spec()));
    }

    String labels(App app) {
        return json.labels(app.labels());
    }

    String status(io.orchestry.provisioner.domain.AppStatus status) {
        return json.write(StatusDocuments.write(status));
    }

    void insertRevision(Connection tx, Revision revision) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "INSERT INTO app_revision (app, number, spec, create_time) VALUES (?, ?, ?::jsonb, ?)")) {
            ps.setString(1, revision.app());
            ps.setLong(2, revision.number());
            ps.setString(3, json.write(SpecDocuments.write(revision.spec())));
            ps.setTimestamp(4, Timestamp.from(revision.createTime()));
            ps.executeUpdate();
        }
        // past the newest KEPT_REVISIONS, a revision goes unless a replica still runs it or an unfinished rollout
        // starts from it (its rollback target) or goes to it: probing and restarts read its spec
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM app_revision r WHERE r.app = ? AND r.number NOT IN"
                + " (SELECT number FROM app_revision WHERE app = ? ORDER BY number DESC LIMIT ?)"
                + " AND NOT EXISTS (SELECT 1 FROM instance i WHERE i.app = r.app AND i.revision = r.number)"
                + " AND NOT EXISTS (SELECT 1 FROM deployment d WHERE d.app = r.app AND d.state IN ('PENDING', 'IN_PROGRESS')"
                + " AND r.number IN (d.from_revision, d.to_revision))")) {
            ps.setString(1, revision.app());
            ps.setString(2, revision.app());
            ps.setInt(3, io.orchestry.provisioner.domain.AppStore.KEPT_REVISIONS);
            ps.executeUpdate();
        }
    }

    Revision readRevision(ResultSet rs) throws SQLException {
        return new Revision(rs.getString("app"), rs.getLong("number"), SpecDocuments.read(json.read(rs.getString("spec"))),
                rs.getTimestamp("create_time").toInstant());
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
