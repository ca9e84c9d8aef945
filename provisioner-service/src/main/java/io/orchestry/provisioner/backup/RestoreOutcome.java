package io.orchestry.provisioner.backup;

import java.time.Duration;
import java.util.List;

/**
 * How a restore ended.
 *
 * @param error       null when the target now holds exactly the backup's tables and counts; else why not
 * @param found       the target's tables after the restore; null when pg_restore itself failed
 * @param extraTables tables the target had that are not in the backup (a restore in place leaves them as they were)
 */
public record RestoreOutcome(String error, TableCounts found, List<String> extraTables, Duration duration) {
    public RestoreOutcome {
        extraTables = List.copyOf(extraTables);
    }

    public boolean restored() {
        return error == null;
    }
}
