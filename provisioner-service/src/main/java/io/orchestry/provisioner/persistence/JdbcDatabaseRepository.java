package io.orchestry.provisioner.persistence;

import io.orchestry.controlloop.Fence;
import io.orchestry.controlloop.Leadership;
import io.orchestry.database.failures.Transactions;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.error.VersionConflictException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.Database;
import io.orchestry.provisioner.domain.DatabaseRepository;
import io.orchestry.provisioner.domain.DatabaseState;
import io.orchestry.provisioner.domain.DatabaseStatus;
import io.orchestry.provisioner.domain.KeptData;
import io.orchestry.provisioner.domain.PortRange;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Databases, port leases and kept data in the provisioner's schema; the reconciler's writes are fenced. */
@Singleton
class JdbcDatabaseRepository implements DatabaseRepository {
    private final Transactions transactions;
    private final Leadership leadership;

    JdbcDatabaseRepository(Transactions transactions, Leadership leadership) {
        this.transactions = transactions;
        this.leadership = leadership;
    }

    @Override
    public Optional<Database> find(String project) {
        return transactions.read(status -> select(status.getConnection(), project));
    }

    @Override
    public List<Database> list(Set<DatabaseState> states, PageRequest page) {
        return transactions.read(status -> {
            List<Database> found = new ArrayList<>();
            // fetched in pages of the page's size until it is full: the state filter (DELETING is a flag) is applied here
            String after = page.after();
            while (found.size() < page.fetchSize()) {
                int fetched = 0;
                try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT " + DatabaseRows.COLUMNS
                        + " FROM database_server WHERE project > ? ORDER BY project LIMIT ?")) {
                    ps.setString(1, after);
                    ps.setInt(2, page.fetchSize());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            fetched++;
                            Database d = DatabaseRows.read(rs);
                            after = d.project();
                            if ((states.isEmpty() || states.contains(d.shownState())) && found.size() < page.fetchSize()) {
                                found.add(d);
                            }
                        }
                    }
                }
                if (fetched < page.fetchSize()) {
                    break;
                }
            }
            return found;
        });
    }

    @Override
    public List<String> projects() {
        return transactions.read(status -> {
            List<String> projects = new ArrayList<>();
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "SELECT project FROM database_server ORDER BY project"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    projects.add(rs.getString(1));
                }
            }
            return projects;
        });
    }

    @Override
    public Database insert(Database d, PortRange range, PortFree free) {
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            int port = d.port() != 0 ? leaseAsked(tx, d) : leaseFree(tx, d, range, free);
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO database_server (project, organization,"
                    + " engine_version, node_name, port, memory_bytes, cpu_millis, storage_bytes, database_name, username,"
                    + " sealed_password, backup_schedule, keep_backups, from_kept_data, create_time, version, state, host)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (project) DO NOTHING")) {
                ps.setString(1, d.project());
                ps.setString(2, d.organization());
                ps.setString(3, d.engineVersion());
                ps.setString(4, d.nodeName());
                ps.setInt(5, port);
                ps.setLong(6, d.resources().memoryBytes());
                ps.setLong(7, d.resources().cpuMillis());
                ps.setLong(8, d.storageBytes());
                ps.setString(9, d.databaseName());
                ps.setString(10, d.username());
                ps.setBytes(11, d.sealedPassword());
                ps.setString(12, d.backupSchedule());
                ps.setInt(13, d.keepBackups());
                ps.setBoolean(14, d.fromKeptData());
                ps.setTimestamp(15, Timestamp.from(d.createTime()));
                ps.setString(16, d.status().state().name());
                ps.setString(17, d.status().host());
                if (ps.executeUpdate() == 0) {
                    throw new AlreadyExistsException("database", d.project());
                }
            }
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM database_kept_data WHERE project = ?")) {
                ps.setString(1, d.project());
                ps.executeUpdate();
            }
            return select(tx, d.project()).orElseThrow();
        });
    }

    private static int leaseAsked(Connection tx, Database d) throws SQLException {
        if (!lease(tx, d, d.port())) {
            throw new AlreadyExistsException("port", d.nodeName() + ":" + d.port());
        }
        return d.port();
    }

    private static int leaseFree(Connection tx, Database d, PortRange range, PortFree free) throws SQLException {
        Set<Integer> leased = new HashSet<>();
        try (PreparedStatement ps = tx.prepareStatement(
                "SELECT port FROM port_lease WHERE node_name = ? AND port BETWEEN ? AND ?")) {
            ps.setString(1, d.nodeName());
            ps.setInt(2, range.first());
            ps.setInt(3, range.last());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leased.add(rs.getInt(1));
                }
            }
        }
        for (int port = range.first(); port <= range.last(); port++) {
            // a concurrent creation's lease of the same port makes this insert do nothing: take the next one
            if (!leased.contains(port) && free.test(d.nodeName(), port) && lease(tx, d, port)) {
                return port;
            }
        }
        throw ResourceExhaustedException.capacity("no free port in " + range.first() + "-" + range.last() + " on node "
                + d.nodeName());
    }

    private static boolean lease(Connection tx, Database d, int port) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO port_lease (node_name, port, project, create_time)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (node_name, port) DO NOTHING")) {
            ps.setString(1, d.nodeName());
            ps.setInt(2, port);
            ps.setString(3, d.project());
            ps.setTimestamp(4, Timestamp.from(d.createTime()));
            return ps.executeUpdate() == 1;
        }
    }

    @Override
    public Optional<KeptData> keptData(String project) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT project, organization, node_name,"
                    + " engine_version, database_name, username, keep_time FROM database_kept_data WHERE project = ?")) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new KeptData(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()))
                            : Optional.<KeptData>empty();
                }
            }
        });
    }

    @Override
    public Database markDeleting(String project, boolean keepData) {
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            try (PreparedStatement ps = tx.prepareStatement("UPDATE database_server SET deleting = TRUE,"
                    + " keep_data = ?, version = version + 1 WHERE project = ?")) {
                ps.setBoolean(1, keepData);
                ps.setString(2, project);
                if (ps.executeUpdate() == 0) {
                    throw new NotFoundException("database", project);
                }
            }
            return select(tx, project).orElseThrow();
        });
    }

    @Override
    public Database updateBackupPolicy(String project, long expectedVersion, String schedule, int keepBackups) {
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            try (PreparedStatement ps = tx.prepareStatement("UPDATE database_server SET backup_schedule = ?,"
                    + " keep_backups = ?, version = version + 1 WHERE project = ? AND version = ?")) {
                ps.setString(1, schedule);
                ps.setInt(2, keepBackups);
                ps.setString(3, project);
                ps.setLong(4, expectedVersion);
                if (ps.executeUpdate() == 0) {
                    Database current = select(tx, project).orElseThrow(() -> new NotFoundException("database", project));
                    throw new VersionConflictException("database", project, expectedVersion, current.version());
                }
            }
            return select(tx, project).orElseThrow();
        });
    }

    @Override
    public void writeStatus(String project, DatabaseStatus s) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            updateStatus(tx, project, s);
            return null;
        });
    }

    private static void updateStatus(Connection tx, String project, DatabaseStatus s) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE database_server SET state = ?, host = ?,"
                + " last_error = ?, ready_time = ?, restarts = ? WHERE project = ?")) {
            ps.setString(1, s.state().name());
            ps.setString(2, s.host());
            ps.setString(3, s.lastError());
            ps.setTimestamp(4, DatabaseRows.timestamp(s.readyTime()));
            ps.setInt(5, s.restarts());
            ps.setString(6, project);
            ps.executeUpdate();
        }
    }

    @Override
    public void failCreation(String project, DatabaseStatus s) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            updateStatus(tx, project, s);
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM port_lease WHERE project = ?")) {
                ps.setString(1, project);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void writeBackupTimes(String project, Instant lastBackupTime, Instant lastScheduledTime) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            try (PreparedStatement ps = tx.prepareStatement("UPDATE database_server SET"
                    + " last_backup_time = COALESCE(?, last_backup_time),"
                    + " last_scheduled_time = COALESCE(?, last_scheduled_time) WHERE project = ?")) {
                ps.setTimestamp(1, DatabaseRows.timestamp(lastBackupTime));
                ps.setTimestamp(2, DatabaseRows.timestamp(lastScheduledTime));
                ps.setString(3, project);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void remove(String project, KeptData kept) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM database_server WHERE project = ? AND deleting")) {
                ps.setString(1, project);
                if (ps.executeUpdate() == 0) {
                    return null;
                }
            }
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM port_lease WHERE project = ?")) {
                ps.setString(1, project);
                ps.executeUpdate();
            }
            if (kept != null) {
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO database_kept_data (project, organization,"
                        + " node_name, engine_version, database_name, username, keep_time) VALUES (?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (project) DO UPDATE SET organization = EXCLUDED.organization,"
                        + " node_name = EXCLUDED.node_name, engine_version = EXCLUDED.engine_version,"
                        + " keep_time = EXCLUDED.keep_time")) {
                    ps.setString(1, kept.project());
                    ps.setString(2, kept.organization());
                    ps.setString(3, kept.nodeName());
                    ps.setString(4, kept.engineVersion());
                    ps.setString(5, kept.databaseName());
                    ps.setString(6, kept.username());
                    ps.setTimestamp(7, Timestamp.from(kept.keepTime()));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static Optional<Database> select(Connection tx, String project) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + DatabaseRows.COLUMNS
                + " FROM database_server WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(DatabaseRows.read(rs)) : Optional.empty();
            }
        }
    }
}
