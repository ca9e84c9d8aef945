package io.orchestry.provisioner.domain;

import java.util.Map;

/**
 * What takes, verifies, removes and restores dumps (implemented in {@code backup}): the domain's one door to pg_dump,
 * the scratch server and the backup store.
 */
public interface BackupExecutor {

    /**
     * Dumps the database in one snapshot, then restores the dump into a scratch server and compares; calls
     * {@code verifying} between the two. Never throws for a bad dump: the outcome is FAILED with the reason.
     */
    Outcome backup(Database database, String password, Backup backup, Runnable verifying);

    /** Removes a backup's dump (rotation); nothing when it is already gone. */
    void delete(String backupId);

    /**
     * Restores a VERIFIED backup into the target database, replacing what is there, and counts what it gave back
     * against the backup's tables: FAILED_PRECONDITION naming the difference when they are not equal.
     */
    Outcome restore(Backup backup, Database target, String password);

    /**
     * @param tables table → rows (the dump's snapshot for a backup; what the target holds after a restore)
     * @param error  why it FAILED; empty otherwise
     */
    record Outcome(Backup.BackupState state, long sizeBytes, Map<String, Long> tables, String error) {
        public Outcome {
            tables = Map.copyOf(tables);
        }
    }
}
