package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * What the reconciler (and the backup runner, for the backup times) observed of a database.
 *
 * @param host              where clients connect (the node's address); empty until placed
 * @param lastError         why it is FAILED, or what went wrong last (a restart's cause); empty otherwise
 * @param restarts          how often its server was found dead and started again on its data
 * @param lastScheduledTime when the backup schedule last fired (the next time is computed from it)
 */
public record DatabaseStatus(DatabaseState state, String host, String lastError, @Nullable Instant readyTime,
                             int restarts, @Nullable Instant lastBackupTime, @Nullable Instant lastScheduledTime) {
    public static final DatabaseStatus NEW = new DatabaseStatus(DatabaseState.CREATING, "", "", null, 0, null, null);

    public DatabaseStatus ready(String host, Instant at) {
        return new DatabaseStatus(DatabaseState.READY, host, "", readyTime == null || state != DatabaseState.READY
                ? at : readyTime, restarts, lastBackupTime, lastScheduledTime);
    }

    public DatabaseStatus failed(String why) {
        return new DatabaseStatus(DatabaseState.FAILED, host, why, readyTime, restarts, lastBackupTime, lastScheduledTime);
    }

    public DatabaseStatus restarted(String host, String why) {
        return new DatabaseStatus(state, host, why, readyTime, restarts + 1, lastBackupTime, lastScheduledTime);
    }

    public DatabaseStatus withLastError(String why) {
        return new DatabaseStatus(state, host, why, readyTime, restarts, lastBackupTime, lastScheduledTime);
    }

    public DatabaseStatus withHost(String host) {
        return new DatabaseStatus(state, host, lastError, readyTime, restarts, lastBackupTime, lastScheduledTime);
    }
}
