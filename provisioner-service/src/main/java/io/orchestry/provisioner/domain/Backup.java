package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One backup of a project's database. DUMPING and VERIFYING while the leader runs it; VERIFIED only once a restore of
 * the dump into a scratch server gave back {@code tables} (the row counts the source held in the dump's own snapshot);
 * FAILED with the reason otherwise.
 *
 * @param organization the project's organization when it was taken: project names are reused, backups are not
 * @param tables       table (schema-qualified) → rows, as the dump holds them
 */
public record Backup(String id, String project, String organization, BackupState state, BackupTrigger trigger, String engineVersion,
                     long sizeBytes, Map<String, Long> tables, String error, Instant startTime,
                     @Nullable Instant finishTime) {
    public Backup {
        tables = Map.copyOf(tables);
    }

    public enum BackupState { DUMPING, VERIFYING, VERIFIED, FAILED }

    public enum BackupTrigger { ON_DEMAND, SCHEDULE }

    public int tableCount() {
        return tables.size();
    }

    public long rowCount() {
        return tables.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean running() {
        return state == BackupState.DUMPING || state == BackupState.VERIFYING;
    }

    @Nullable
    public Duration duration() {
        return finishTime == null ? null : Duration.between(startTime, finishTime);
    }

    public Backup verifying() {
        return new Backup(id, project, organization, BackupState.VERIFYING, trigger, engineVersion, sizeBytes, tables, "", startTime,
                null);
    }

    public Backup finished(BackupState state, long sizeBytes, Map<String, Long> tables, String error, Instant at) {
        return new Backup(id, project, organization, state, trigger, engineVersion, sizeBytes, tables, error, startTime, at);
    }
}
