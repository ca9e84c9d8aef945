package io.orchestry.provisioner.persistence;

import io.micronaut.json.tree.JsonNode;
import io.orchestry.controlloop.Fence;
import io.orchestry.controlloop.Leadership;
import io.orchestry.database.failures.Transactions;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.Backup;
import io.orchestry.provisioner.domain.BackupRepository;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Backups in {@code database_backup}, newest first; the runner's writes are fenced. */
@Singleton
class JdbcBackupRepository implements BackupRepository {
    private static final String COLUMNS = "id, project, organization, state, trigger_kind, engine_version, size_bytes, tables::text AS tables,"
            + " error, start_time, finish_time";

    private final Transactions transactions;
    private final Leadership leadership;
    private final JsonColumns json;

    JdbcBackupRepository(Transactions transactions, Leadership leadership, JsonColumns json) {
        this.transactions = transactions;
        this.leadership = leadership;
        this.json = json;
    }

    @Override
    public Backup insert(Backup b) {
        return transactions.write(status -> {
            Connection tx = status.getConnection();
            // the database row's lock orders two concurrent requests for one project
            try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM database_server WHERE project = ? FOR UPDATE")) {
                ps.setString(1, b.project());
                ps.executeQuery().close();
            }
            try (PreparedStatement ps = tx.prepareStatement("SELECT id FROM database_backup WHERE project = ?"
                    + " AND state IN ('DUMPING', 'VERIFYING')")) {
                ps.setString(1, b.project());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new FailedPreconditionException("backup " + rs.getString(1) + " of " + b.project()
                                + " is still running");
                    }
                }
            }
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO database_backup (id, project, organization, state,"
                    + " trigger_kind, engine_version, start_time) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, b.id());
                ps.setString(2, b.project());
                ps.setString(3, b.organization());
                ps.setString(4, b.state().name());
                ps.setString(5, b.trigger().name());
                ps.setString(6, b.engineVersion());
                ps.setTimestamp(7, Timestamp.from(b.startTime()));
                ps.executeUpdate();
            }
            return select(tx, b.id()).orElseThrow();
        });
    }

    @Override
    public Optional<Backup> find(String id) {
        return transactions.read(status -> select(status.getConnection(), id));
    }

    @Override
    public List<Backup> list(String project, String organization, PageRequest page) {
        long afterMicros = Long.MAX_VALUE;
        String afterId = "";
        if (!page.after().isEmpty()) {
            int slash = page.after().indexOf('/');
            try {
                afterMicros = Long.parseLong(page.after().substring(0, slash));
                afterId = page.after().substring(slash + 1);
            } catch (RuntimeException malformed) {
                throw new io.orchestry.error.InvalidArgumentException("pageToken", "not a token of this list");
            }
        }
        long micros = afterMicros;
        String id = afterId;
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT " + COLUMNS
                    + " FROM database_backup WHERE (? = '' OR project = ?) AND (? = '' OR organization = ?)"
                    + " AND (? = '' OR (start_time, id) < (?, ?)) ORDER BY start_time DESC, id DESC LIMIT ?")) {
                ps.setString(1, project);
                ps.setString(2, project);
                ps.setString(3, organization);
                ps.setString(4, organization);
                ps.setString(5, id);
                ps.setTimestamp(6, Timestamp.from(Instant.EPOCH.plusNanos(Math.min(micros, Long.MAX_VALUE / 1000) * 1000)));
                ps.setString(7, id);
                ps.setInt(8, page.fetchSize());
                return readAll(ps);
            }
        });
    }

    @Override
    public List<Backup> running() {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT " + COLUMNS
                    + " FROM database_backup WHERE state IN ('DUMPING', 'VERIFYING') ORDER BY start_time")) {
                return readAll(ps);
            }
        });
    }

    @Override
    public List<Backup> ofProject(String project) {
        return transactions.read(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("SELECT " + COLUMNS
                    + " FROM database_backup WHERE project = ? ORDER BY start_time DESC, id DESC")) {
                ps.setString(1, project);
                return readAll(ps);
            }
        });
    }

    @Override
    public void update(Backup b) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            try (PreparedStatement ps = tx.prepareStatement("UPDATE database_backup SET state = ?, size_bytes = ?,"
                    + " table_count = ?, row_count = ?, tables = ?::jsonb, error = ?, finish_time = ? WHERE id = ?")) {
                ps.setString(1, b.state().name());
                ps.setLong(2, b.sizeBytes());
                ps.setInt(3, b.tableCount());
                ps.setLong(4, b.rowCount());
                ps.setString(5, json.write(tablesNode(b.tables())));
                ps.setString(6, b.error());
                ps.setTimestamp(7, b.finishTime() == null ? null : Timestamp.from(b.finishTime()));
                ps.setString(8, b.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void delete(String id) {
        transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM database_backup WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private Optional<Backup> select(Connection tx, String id) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + COLUMNS + " FROM database_backup WHERE id = ?")) {
            ps.setString(1, id);
            List<Backup> found = readAll(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private List<Backup> readAll(PreparedStatement ps) throws SQLException {
        List<Backup> backups = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp finish = rs.getTimestamp("finish_time");
                backups.add(new Backup(rs.getString("id"), rs.getString("project"), rs.getString("organization"),
                        Backup.BackupState.valueOf(rs.getString("state")),
                        Backup.BackupTrigger.valueOf(rs.getString("trigger_kind")), rs.getString("engine_version"),
                        rs.getLong("size_bytes"), tables(rs.getString("tables")), rs.getString("error"),
                        rs.getTimestamp("start_time").toInstant(), finish == null ? null : finish.toInstant()));
            }
        }
        return backups;
    }

    private static JsonNode tablesNode(Map<String, Long> tables) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        tables.forEach((table, rows) -> values.put(table, JsonNode.createNumberNode(rows)));
        return JsonNode.createObjectNode(values);
    }

    private Map<String, Long> tables(String text) {
        Map<String, Long> tables = new LinkedHashMap<>();
        JsonNode node = json.read(text);
        for (Map.Entry<String, JsonNode> e : node.entries()) {
            tables.put(e.getKey(), e.getValue().getLongValue());
        }
        return tables;
    }
}
