package io.orchestry.provisioner.domain;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.UnavailableException;
import io.orchestry.error.Violations;
import io.orchestry.names.ResourceNames;
import io.orchestry.provisioner.config.DatabaseConfig;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * RestoreDatabase: a VERIFIED backup into its own project's database (only with confirm: the data is replaced) or into
 * another project's — created first with the source's version and size when it has none (and waited for until READY),
 * replaced (again only with confirm) when it has one. Ends when the restored tables and row counts equal the backup's.
 */
@Singleton
public class DatabaseRestores {
    static final Duration POLL = Duration.ofMillis(100);

    private final DatabaseRepository databases;
    private final DatabaseBackups backups;
    private final DatabaseCreation creation;
    private final DatabaseChanges changes;
    private final Projects projects;
    private final BackupExecutor executor;
    private final DatabaseSecrets secrets;
    private final DatabaseConfig config;
    private final Clock clock;

    public DatabaseRestores(DatabaseRepository databases, DatabaseBackups backups, DatabaseCreation creation,
                            DatabaseChanges changes, Projects projects, BackupExecutor executor, DatabaseSecrets secrets, DatabaseConfig config,
                            Clock clock) {
        this.databases = databases;
        this.backups = backups;
        this.creation = creation;
        this.changes = changes;
        this.projects = projects;
        this.executor = executor;
        this.secrets = secrets;
        this.config = config;
        this.clock = clock;
    }

    /** What a restore gave back. */
    public record Restored(Database database, Map<String, Long> tables, Duration duration) {
        public long rows() {
            return tables.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public Restored restore(String project, String backupId, String targetProject, boolean confirm) {
        Violations v = new Violations();
        ResourceNames.checkName(v, "project", project);
        v.require(!backupId.isEmpty(), "backupId", "required");
        String target = targetProject.isEmpty() ? project : targetProject;
        if (!targetProject.isEmpty()) {
            ResourceNames.checkName(v, "targetProject", targetProject);
        }
        v.throwIfAny();
        Instant start = clock.instant();
        Backup backup = backups.get(project, backupId);
        if (backup.state() != Backup.BackupState.VERIFIED) {
            throw new FailedPreconditionException("backup " + backupId + " is " + backup.state()
                    + ": only a VERIFIED backup is restored");
        }
        Database into = databases.find(target).orElse(null);
        boolean keptThere = into == null && databases.keptData(target).isPresent();
        if ((into != null || keptThere) && !confirm) {
            throw new InvalidArgumentException("confirm", "must be true: restoring replaces the data of the database of "
                    + target + (keptThere ? " (its kept data, which a new database would take up)" : ""));
        }
        boolean created = false;
        if (into == null) {
            if (target.equals(project)) {
                throw new NotFoundException("database", project);
            }
            projects.requireExists(target);
            into = creation.create(newLike(target, backup));
            created = !keptThere;
            try {
                into = awaitReady(into);
            } catch (RuntimeException e) {
                undo(created, target);
                throw e;
            }
        }
        if (into.deleting() || into.status().state() != DatabaseState.READY) {
            throw new FailedPreconditionException("the database of " + target + " is " + into.shownState()
                    + ": a restore needs it READY");
        }
        BackupExecutor.Outcome outcome = executor.restore(backup, into, secrets.password(into));
        if (outcome.state() != Backup.BackupState.VERIFIED) {
            undo(created, target);
            throw new FailedPreconditionException("restore of " + backupId + " into " + target + " failed: "
                    + outcome.error());
        }
        return new Restored(into, outcome.tables(), Duration.between(start, clock.instant()));
    }

    /** A database this restore made for the target goes again when the restore fails (a retry starts clean). */
    private void undo(boolean created, String target) {
        if (created) {
            try {
                changes.delete(target, false);
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    private DatabaseRequest newLike(String target, Backup backup) {
        Database source = databases.find(backup.project()).orElse(null);
        long memory = source == null ? 0 : source.resources().memoryBytes();
        long cpu = source == null ? 0 : source.resources().cpuMillis();
        long storage = source == null ? 0 : source.storageBytes();
        return new DatabaseRequest(target, backup.engineVersion(), 0, memory, cpu, storage, "", "", "", 0);
    }

    private Database awaitReady(Database created) {
        Instant deadline = clock.instant().plus(config.readyTimeout()).plusSeconds(10);
        while (clock.instant().isBefore(deadline)) {
            Database now = databases.find(created.project()).orElseThrow(
                    () -> new FailedPreconditionException("the database of " + created.project() + " went away"));
            if (now.status().state() == DatabaseState.READY) {
                return now;
            }
            if (now.status().state() == DatabaseState.FAILED) {
                throw new FailedPreconditionException("the new database of " + created.project() + " FAILED: "
                        + now.status().lastError());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("provisioner", Duration.ofSeconds(1), e);
            }
        }
        throw new UnavailableException("database of " + created.project(), Duration.ofSeconds(5), null);
    }
}
