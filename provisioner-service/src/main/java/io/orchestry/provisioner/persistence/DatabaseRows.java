package io.orchestry.provisioner.persistence;

import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Database;
import io.orchestry.provisioner.domain.DatabaseState;
import io.orchestry.provisioner.domain.DatabaseStatus;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Reads a {@code database_server} row; the one place that knows its columns. */
final class DatabaseRows {
    static final String COLUMNS = "project, organization, engine_version, node_name, port, memory_bytes, cpu_millis,"
            + " storage_bytes, database_name, username, sealed_password, backup_schedule, keep_backups, from_kept_data,"
            + " deleting, keep_data, create_time, version, state, host, last_error, ready_time, restarts,"
            + " last_backup_time, last_scheduled_time";

    private DatabaseRows() {
    }

    static Database read(ResultSet rs) throws SQLException {
        DatabaseStatus status = new DatabaseStatus(DatabaseState.valueOf(rs.getString("state")), rs.getString("host"),
                rs.getString("last_error"), instant(rs.getTimestamp("ready_time")), rs.getInt("restarts"),
                instant(rs.getTimestamp("last_backup_time")), instant(rs.getTimestamp("last_scheduled_time")));
        return new Database(rs.getString("project"), rs.getString("organization"), rs.getString("engine_version"),
                rs.getString("node_name"), rs.getInt("port"),
                new ComputeResources(rs.getLong("cpu_millis"), rs.getLong("memory_bytes")), rs.getLong("storage_bytes"),
                rs.getString("database_name"), rs.getString("username"), rs.getBytes("sealed_password"),
                rs.getString("backup_schedule"), rs.getInt("keep_backups"), rs.getBoolean("from_kept_data"),
                rs.getBoolean("deleting"), rs.getBoolean("keep_data"), rs.getTimestamp("create_time").toInstant(),
                rs.getLong("version"), status);
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
