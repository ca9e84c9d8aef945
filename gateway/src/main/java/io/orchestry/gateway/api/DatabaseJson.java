package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * A project's PostgreSQL database as {@code GET /api/v1/databases/{project}} shows it. Never carries
 * the password: only {@code GET /api/v1/databases/{project}/credentials} does.
 *
 * @param project        the owning project; also the database's key
 * @param organization   the organization that owns the project
 * @param engineVersion  PostgreSQL major version, e.g. "16"
 * @param host           where clients connect
 * @param cpuMillis      thousandths of a core
 * @param storageBytes   size of the data volume; 0: unbounded
 * @param state          creating, ready, failed or deleting
 * @param lastError      why it is failed; empty otherwise
 * @param readyTime      when it last became ready
 * @param backupSchedule when backups are taken on their own (five cron fields, UTC, or @hourly, @daily, @weekly); empty: on demand only
 * @param keepBackups    verified backups kept
 * @param lastBackupTime when the newest verified backup was taken; absent: none yet
 * @param restarts       how often the server was found dead and started again on its data
 */
@Serdeable
public record DatabaseJson(
        String project,
        String organization,
        String engineVersion,
        String nodeName,
        String host,
        int port,
        long memoryBytes,
        long cpuMillis,
        long storageBytes,
        @Nullable String state,
        String databaseName,
        String username,
        String lastError,
        @Nullable Instant createTime,
        @Nullable Instant readyTime,
        String backupSchedule,
        int keepBackups,
        @Nullable Instant lastBackupTime,
        int restarts) {

    /** A page of databases by project; pass {@code nextPageToken} as {@code pageToken} for the next one (absent on the last page). */
    @Serdeable
    public record Page(List<DatabaseJson> items, @Nullable String nextPageToken) {
    }

    /**
     * How to connect, password included: admin only, and every read is audited.
     *
     * @param connectionUri {@code postgresql://username:password@host:port/databaseName}
     */
    @Serdeable
    public record Credentials(String host, int port, String databaseName, String username, String password,
                              String connectionUri) {
        @Override
        public String toString() {
            return "Credentials[host=" + host + ", port=" + port + ", databaseName=" + databaseName + ", username="
                    + username + ", password=***]";
        }
    }

    /**
     * One pg_dump of the database. It counts only once {@code verified}: restored into a scratch
     * server, with the tables and row counts the source held in the dump's snapshot.
     *
     * @param state      dumping, verifying, verified or failed
     * @param trigger    on_demand or schedule
     * @param sizeBytes  size of the dump file
     * @param finishTime when it was verified or failed
     * @param duration   dump plus verification, as an ISO-8601 duration
     * @param error      why it failed; empty otherwise
     */
    @Serdeable
    public record Backup(
            String id,
            String project,
            @Nullable String state,
            @Nullable String trigger,
            long sizeBytes,
            @Nullable Instant startTime,
            @Nullable Instant finishTime,
            @Nullable String duration,
            int tableCount,
            long rowCount,
            String error,
            String engineVersion) {
    }

    /** A page of backups, newest first; pass {@code nextPageToken} as {@code pageToken} for the next one. */
    @Serdeable
    public record BackupPage(List<Backup> items, @Nullable String nextPageToken) {
    }

    /**
     * What a restore did.
     *
     * @param database   the database restored into
     * @param tableCount what the restore gave back (equal to the backup's counts)
     * @param duration   as an ISO-8601 duration
     */
    @Serdeable
    public record Restored(DatabaseJson database, int tableCount, long rowCount, @Nullable String duration) {
    }
}
