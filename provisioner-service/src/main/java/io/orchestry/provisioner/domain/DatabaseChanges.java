package io.orchestry.provisioner.domain;

import io.micronaut.context.BeanProvider;
import io.orchestry.error.NotFoundException;
import jakarta.inject.Singleton;

/**
 * DeleteDatabase (the row shows DELETING at once; the reconciler removes the server, its storage unless keepData, its
 * port lease, the row and the project's hold) and UpdateDatabase (the backup policy).
 */
@Singleton
public class DatabaseChanges {
    private final DatabaseRepository databases;
    private final BeanProvider<DatabaseChangeListener> listener;

    public DatabaseChanges(DatabaseRepository databases, BeanProvider<DatabaseChangeListener> listener) {
        this.databases = databases;
        this.listener = listener;
    }

    public void delete(String project, boolean keepData) {
        databases.markDeleting(project, keepData);
        listener.ifPresent(l -> l.databaseChanged(project));
    }

    /**
     * @param schedule null: unchanged
     * @param keep     null: unchanged; 0: the default
     */
    public Database updateBackupPolicy(String project, String schedule, Integer keep, int defaultKeep) {
        Database d = databases.find(project).orElseThrow(() -> new NotFoundException("database", project));
        String nextSchedule = schedule == null ? d.backupSchedule() : schedule;
        int nextKeep = keep == null ? d.keepBackups() : keep;
        DatabaseValidator.checkBackupPolicy(nextSchedule, nextKeep);
        Database updated = databases.updateBackupPolicy(project, d.version(), nextSchedule,
                nextKeep == 0 ? defaultKeep : nextKeep);
        listener.ifPresent(l -> l.databaseChanged(project));
        return updated;
    }
}
