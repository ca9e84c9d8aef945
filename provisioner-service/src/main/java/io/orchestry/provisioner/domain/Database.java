package io.orchestry.provisioner.domain;

import java.time.Instant;

/**
 * A project's PostgreSQL database: what was asked for (written by the use cases) and its {@link DatabaseStatus}
 * (written by the reconciler only). The password is sealed ({@code io.orchestry.secrets.SecretCipher}, the project as
 * associated data) and never leaves the provisioner but through GetDatabaseCredentials.
 *
 * @param resources    memory and CPU of the server (limits, and the size of its settings)
 * @param fromKeptData the node's storage was kept by an earlier delete: a failed creation must leave it
 * @param keepData     with {@code deleting}: the storage stays on the node for a later create
 */
public record Database(String project, String organization, String engineVersion, String nodeName, int port,
                       ComputeResources resources, long storageBytes, String databaseName, String username,
                       byte[] sealedPassword, String backupSchedule, int keepBackups, boolean fromKeptData,
                       boolean deleting, boolean keepData, Instant createTime, long version, DatabaseStatus status) {

    /** The server's deterministic name on its node (container, data folder, volume). */
    public String name() {
        return io.orchestry.provisioner.runtime.database.DatabaseServerSpec.nameFor(project);
    }

    /** The database and role of a project: its name with '-' as '_' (a plain SQL identifier, never quoted wrong). */
    public static String sqlName(String project) {
        return project.replace('-', '_');
    }

    public Database withStatus(DatabaseStatus next) {
        return new Database(project, organization, engineVersion, nodeName, port, resources, storageBytes, databaseName,
                username, sealedPassword, backupSchedule, keepBackups, fromKeptData, deleting, keepData, createTime,
                version, next);
    }

    /** What a reader sees: DELETING once a delete was asked for, else the reconciler's state. */
    public DatabaseState shownState() {
        return deleting ? DatabaseState.DELETING : status.state();
    }

    /** Never prints the sealed password. */
    @Override
    public String toString() {
        return "Database[" + project + ", postgres " + engineVersion + " on " + nodeName + ":" + port + ", "
                + shownState() + "]";
    }
}
