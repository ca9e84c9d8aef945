package io.orchestry.provisioner.backup;

/**
 * Where a backup is (mirrors the contract's DatabaseBackupState): {@code DUMPING} and {@code VERIFYING} are the phases
 * a {@link BackupRunner} reports while it works, {@code VERIFIED} and {@code FAILED} are how it ends.
 */
public enum BackupState {
    DUMPING,
    VERIFYING,
    VERIFIED,
    FAILED;

    public boolean finished() {
        return this == VERIFIED || this == FAILED;
    }
}
