package io.orchestry.provisioner.backup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Takes a pg_dump (custom format) of a source database together with its tables' row counts, both from one snapshot:
 * a REPEATABLE READ transaction exports its snapshot, counts every user table, and stays open while
 * {@code pg_dump --snapshot} dumps exactly what that transaction sees. So the counts are what the dump holds, however
 * busy the source is. The dump goes to the {@link BackupStore} and is sealed there; on any failure its file is removed.
 */
public final class SnapshotDumper {
    private final PostgresTools tools;
    private final BackupStore store;
    private final Duration timeout;
    private final Clock clock;

    /** @param timeout bound on the whole dump (the counting and pg_dump) */
    public SnapshotDumper(PostgresTools tools, BackupStore store, Duration timeout, Clock clock) {
        this.tools = tools;
        this.store = store;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** What a dump holds and what it took. */
    public record Dump(TableCounts tables, long sizeBytes, Duration took) {
    }

    /** Dumps {@code source} (a server of major {@code version}) as backup {@code backupId}; a {@link BackupException} on failure. */
    public Dump dump(ServerAddress source, String version, String backupId) {
        Instant start = clock.instant();
        Path target = store.target(backupId);
        boolean sealed = false;
        try (Connection c = source.connect(Math.max(1, timeout.toSeconds()))) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            String snapshot = exportSnapshot(c);
            TableCounts tables = TableCounter.count(c);
            tools.run("pg_dump", version, source, List.of("--format=custom", "--snapshot=" + snapshot,
                    "--no-password", "--file=" + target), timeout);
            c.rollback();
            store.seal(backupId);
            sealed = true;
            return new Dump(tables, store.size(backupId), Duration.between(start, clock.instant()));
        } catch (SQLException e) {
            throw new BackupException("cannot read " + source.database() + " for the dump: " + source.scrub(e.getMessage()), e);
        } finally {
            if (!sealed) {
                store.delete(backupId);
            }
        }
    }

    private static String exportSnapshot(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
