package io.orchestry.provisioner.backup;

import java.time.Duration;

/**
 * How one backup ended.
 *
 * @param state     VERIFIED (restored and compared equal) or FAILED
 * @param sizeBytes size of the dump file (0 when the dump itself failed)
 * @param tables    what the source held in the dump's snapshot; null when the dump failed before counting
 * @param error     why it FAILED; null when VERIFIED
 * @param duration  dump plus verification
 */
public record BackupOutcome(BackupState state, long sizeBytes, TableCounts tables, String error, Duration duration) {
    public int tableCount() {
        return tables == null ? 0 : tables.tableCount();
    }

    public long rowCount() {
        return tables == null ? 0 : tables.rowCount();
    }
}
