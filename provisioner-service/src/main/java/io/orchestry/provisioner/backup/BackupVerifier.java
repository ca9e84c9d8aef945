package io.orchestry.provisioner.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Proves a dump restorable: restores it into a new empty database of a {@link ScratchServer}
 * ({@code pg_restore --no-owner --no-privileges --exit-on-error}), counts the tables there and compares them with the
 * counts the source had in the dump's snapshot. An empty file, one pg_restore refuses or stops on (truncated,
 * corrupted), a missing or extra table or a different count fails, with the reason. The scratch database is dropped
 * afterwards whatever happened.
 */
public final class BackupVerifier {
    private final PostgresTools tools;
    private final BackupStore store;
    private final ScratchServer scratch;
    private final Duration timeout;

    /** @param timeout bound on the restore and on the counting */
    public BackupVerifier(PostgresTools tools, BackupStore store, ScratchServer scratch, Duration timeout) {
        this.tools = tools;
        this.store = store;
        this.scratch = scratch;
        this.timeout = timeout;
    }

    /** How a verification ended: {@code error} is null when the restore gave back exactly the expected tables. */
    public record Verification(String error, TableCounts found) {
        public boolean verified() {
            return error == null;
        }
    }

    /** Verifies backup {@code backupId}, taken from a server of major {@code version}, against {@code expected}. */
    public Verification verify(String backupId, String version, TableCounts expected) {
        long size = store.size(backupId);
        if (size == 0) {
            return new Verification("the dump file is empty (0 bytes)", null);
        }
        Path file = store.readable(backupId);
        ServerAddress database = scratch.emptyDatabase(version);
        try {
            try {
                tools.run("pg_restore", version, database, List.of("--no-owner", "--no-privileges", "--exit-on-error",
                        "--no-password", "--dbname=" + database.database(), file.toString()), timeout);
            } catch (BackupException restoreFailed) {
                return new Verification("the dump does not restore: " + restoreFailed.getMessage(), null);
            }
            TableCounts found = TableCounter.count(database, Math.max(1, timeout.toSeconds()));
            String error = TableCounts.describe(expected.differences(found, false));
            return new Verification(error == null ? null : "the restored dump differs from the source: " + error, found);
        } finally {
            scratch.release(database);
        }
    }
}
