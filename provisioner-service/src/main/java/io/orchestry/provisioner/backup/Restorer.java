package io.orchestry.provisioner.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Restores a verified backup into a target database, replacing what the backup holds there:
 * {@code pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction} (all or nothing: a restore
 * that fails leaves the target as it was), then counts the target's tables and compares them with the backup's. Tables
 * the target has beyond the backup's are left alone and reported.
 */
public final class Restorer {
    private final PostgresTools tools;
    private final BackupStore store;
    private final Duration timeout;
    private final Clock clock;

    public Restorer(PostgresTools tools, BackupStore store, Duration timeout, Clock clock) {
        this.tools = tools;
        this.store = store;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Restores backup {@code backupId} into {@code target} and compares what the target then holds with the backup's counts.
     *
     * @param version  the major version of the target server (the backup's or newer)
     * @param expected the tables and counts the backup was verified with
     */
    public RestoreOutcome restore(String backupId, String version, ServerAddress target, TableCounts expected) {
        Instant start = clock.instant();
        try {
            if (store.size(backupId) == 0) {
                return new RestoreOutcome("backup " + backupId + " is empty (0 bytes)", null, List.of(), since(start));
            }
            tools.run("pg_restore", version, target, List.of("--clean", "--if-exists", "--no-owner", "--no-privileges",
                    "--single-transaction", "--exit-on-error", "--no-password", "--dbname=" + target.database(),
                    store.readable(backupId).toString()), timeout);
        } catch (BackupException e) {
            return new RestoreOutcome(target.scrub("restore failed: " + e.getMessage()), null, List.of(), since(start));
        }
        try {
            TableCounts found = TableCounter.count(target, Math.max(1, timeout.toSeconds()));
            String error = TableCounts.describe(expected.differences(found, true));
            return new RestoreOutcome(error == null ? null : target.scrub("the restored database differs from the backup: "
                    + error), found, expected.extraIn(found), since(start));
        } catch (BackupException e) {
            return new RestoreOutcome(target.scrub(e.getMessage()), null, List.of(), since(start));
        }
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }
}
