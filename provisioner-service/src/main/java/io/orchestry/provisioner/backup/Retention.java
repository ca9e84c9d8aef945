package io.orchestry.provisioner.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which backups of one database to delete (pure). The {@code keep} newest VERIFIED stay and older VERIFIED ones go; a
 * FAILED backup never counts against {@code keep}, so failures never push a good backup out. FAILED backups newer
 * than the newest VERIFIED stay (they say why there is no newer good one); older FAILED ones stay only while they are
 * among the {@link #KEEP_FAILED} newest FAILED. Backups still DUMPING or VERIFYING are never deleted.
 */
public final class Retention {
    /** How many FAILED backups older than the newest VERIFIED are kept for their reasons. */
    public static final int KEEP_FAILED = 3;

    /** One backup as retention sees it; {@code finishTime} is null while it runs. */
    public record Entry(String id, BackupState state, Instant finishTime) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
        }
    }

    private Retention() {
    }

    /**
     * The ids of the backups to delete, in the order given.
     *
     * @param newestFirst the database's backups, newest first
     * @param keep        how many VERIFIED backups to keep, at least 1
     */
    public static List<String> toDelete(List<Entry> newestFirst, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keepBackups " + keep + " must be at least 1");
        }
        List<String> delete = new ArrayList<>();
        int verified = 0;
        int failed = 0;
        for (Entry entry : newestFirst) {
            if (entry.state() == BackupState.VERIFIED) {
                verified++;
                if (verified > keep) {
                    delete.add(entry.id());
                }
            } else if (entry.state() == BackupState.FAILED) {
                failed++;
                if (verified > 0 && failed > KEEP_FAILED) {
                    delete.add(entry.id());
                }
            }
        }
        return delete;
    }
}
