package io.orchestry.provisioner.backup;

import io.orchestry.provisioner.domain.Backup;
import io.orchestry.provisioner.domain.BackupExecutor;
import io.orchestry.provisioner.domain.Database;

import java.util.Map;

/**
 * The domain's {@link BackupExecutor} over this package: {@link BackupRunner} (snapshot dump, verify by a restore into
 * the scratch server), {@link Restorer} and the {@link BackupStore}. Servers are reached at the database's host and
 * port with its own role.
 */
public final class BackupExecution implements BackupExecutor {
    private final BackupRunner runner;
    private final Restorer restorer;
    private final BackupStore store;

    public BackupExecution(BackupRunner runner, Restorer restorer, BackupStore store) {
        this.runner = runner;
        this.restorer = restorer;
        this.store = store;
    }

    @Override
    public Outcome backup(Database database, String password, Backup backup, Runnable verifying) {
        BackupOutcome outcome = runner.run(address(database, password), database.engineVersion(), backup.id(), phase -> {
            if (phase == BackupState.VERIFYING) {
                verifying.run();
            }
        });
        return new Outcome(Backup.BackupState.valueOf(outcome.state().name()), outcome.sizeBytes(),
                outcome.tables() == null ? Map.of() : outcome.tables().rows(),
                outcome.error() == null ? "" : outcome.error());
    }

    @Override
    public void delete(String backupId) {
        store.delete(backupId);
    }

    @Override
    public Outcome restore(Backup backup, Database target, String password) {
        RestoreOutcome outcome = restorer.restore(backup.id(), target.engineVersion(), address(target, password),
                TableCounts.of(backup.tables()));
        Map<String, Long> found = outcome.found() == null ? Map.of() : outcome.found().rows();
        return outcome.restored()
                ? new Outcome(Backup.BackupState.VERIFIED, 0, backup.tables(), "")
                : new Outcome(Backup.BackupState.FAILED, 0, found, outcome.error());
    }

    private static ServerAddress address(Database d, String password) {
        return new ServerAddress(d.status().host(), d.port(), d.databaseName(), d.username(), password);
    }
}
