package io.orchestry.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.orchestry.provisioner.runtime.database.DatabaseReadiness;
import io.orchestry.provisioner.v1.CreateDatabaseBackupRequest;
import io.orchestry.provisioner.v1.CreateDatabaseRequest;
import io.orchestry.provisioner.v1.Database;
import io.orchestry.provisioner.v1.DatabaseBackup;
import io.orchestry.provisioner.v1.DatabaseBackupState;
import io.orchestry.provisioner.v1.DatabaseCredentials;
import io.orchestry.provisioner.v1.DatabaseState;
import io.orchestry.provisioner.v1.DeleteDatabaseRequest;
import io.orchestry.provisioner.v1.GetDatabaseBackupRequest;
import io.orchestry.provisioner.v1.GetDatabaseCredentialsRequest;
import io.orchestry.provisioner.v1.GetDatabaseRequest;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The provisioner's database contract as the databases benchmark calls it: create on a node, credentials, a login
 * polled every 10 ms (a real JDBC login with those credentials, as clients will make), delete until NOT_FOUND, a
 * backup until VERIFIED. Every wait is bounded and says what it last saw when it gives up; a database or backup that
 * turns FAILED ends the wait at once with its reason.
 */
final class DatabaseCalls {
    static final String VERSION = "15";
    static final Duration LOGIN_POLL = Duration.ofMillis(10);
    private static final Duration LIMIT = Duration.ofMinutes(2);

    private final ControlPlane plane;

    DatabaseCalls(ControlPlane plane) {
        this.plane = plane;
    }

    Database create(String project, String node, long memoryBytes, long cpuMillis) {
        return plane.provisioner().createDatabase(CreateDatabaseRequest.newBuilder().setProject(project).setNodeName(node)
                .setEngineVersion(VERSION).setMemoryBytes(memoryBytes).setCpuMillis(cpuMillis).build()).getDatabase();
    }

    Database get(String project) {
        return plane.provisioner().getDatabase(GetDatabaseRequest.newBuilder().setProject(project).build()).getDatabase();
    }

    /** The credentials; asked again every 10 ms while the provisioner answers that it has none to give yet. */
    DatabaseCredentials credentials(String project) throws InterruptedException {
        return poll("credentials of " + project, () -> {
            try {
                return plane.provisioner().getDatabaseCredentials(GetDatabaseCredentialsRequest.newBuilder().setProject(project).build())
                        .getCredentials();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION && e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                    throw e;
                }
                failIfFailed(project);
                return null;
            }
        }, LOGIN_POLL);
    }

    /** Polls a login with the credentials every 10 ms until one succeeds; the database is checked every 20 tries. */
    void awaitLogin(String project, DatabaseCredentials c) throws InterruptedException {
        int[] tries = {0};
        poll("login to " + project + " at " + c.getHost() + ":" + c.getPort(), () -> {
            if (DatabaseReadiness.check(c.getHost(), c.getPort(), c.getDatabaseName(), c.getUsername(), c.getPassword(),
                    Duration.ofSeconds(2)) == null) {
                return Boolean.TRUE;
            }
            if (++tries[0] % 20 == 0) {
                failIfFailed(project);
            }
            return null;
        }, LOGIN_POLL, () -> {
            Database d = get(project);
            return d.getState() + (d.getLastError().isEmpty() ? "" : ": " + d.getLastError());
        });
    }

    /** Polls a login every 10 ms until one succeeds (a server started by hand). */
    static void awaitLogin(String host, int port, String database, String user, String password) throws InterruptedException {
        poll("login at " + host + ":" + port, () -> DatabaseReadiness.check(host, port, database, user, password,
                Duration.ofSeconds(2)) == null ? Boolean.TRUE : null, LOGIN_POLL);
    }

    /** Polls GetDatabase every 10 ms until it says READY. */
    Database awaitReady(String project) throws InterruptedException {
        return poll(project + " READY", () -> {
            Database d = get(project);
            if (d.getState() == DatabaseState.DATABASE_STATE_FAILED) {
                throw new IllegalStateException("database " + project + " FAILED: " + d.getLastError());
            }
            return d.getState() == DatabaseState.DATABASE_STATE_READY ? d : null;
        }, LOGIN_POLL);
    }

    /** DeleteDatabase (data not kept), then polls every 50 ms until GetDatabase answers NOT_FOUND. */
    void delete(String project) throws InterruptedException {
        plane.provisioner().deleteDatabase(DeleteDatabaseRequest.newBuilder().setProject(project).build());
        poll(project + " deleted", () -> {
            try {
                get(project);
                return null;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    return Boolean.TRUE;
                }
                throw e;
            }
        }, Duration.ofMillis(50));
    }

    /** Deletes the project's database if it has one (what a failed run left). */
    void deleteIfThere(String project) throws InterruptedException {
        try {
            get(project);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return;
            }
            throw e;
        }
        delete(project);
    }

    /** CreateDatabaseBackup, then GetDatabaseBackup every 20 ms until VERIFIED (FAILED ends it with the reason). */
    DatabaseBackup backupVerified(String project) throws InterruptedException {
        String id = plane.provisioner().createDatabaseBackup(CreateDatabaseBackupRequest.newBuilder().setProject(project).build())
                .getBackup().getId();
        DatabaseBackup[] last = {null};
        return poll("backup " + id + " of " + project + " VERIFIED", () -> {
            DatabaseBackup b = plane.provisioner().getDatabaseBackup(GetDatabaseBackupRequest.newBuilder().setProject(project)
                    .setId(id).build()).getBackup();
            last[0] = b;
            if (b.getState() == DatabaseBackupState.DATABASE_BACKUP_STATE_FAILED) {
                throw new IllegalStateException("backup " + id + " of " + project + " FAILED: " + b.getError());
            }
            return b.getState() == DatabaseBackupState.DATABASE_BACKUP_STATE_VERIFIED ? b : null;
        }, Duration.ofMillis(20), () -> last[0] == null ? "no answer" : last[0].getState().toString());
    }

    private void failIfFailed(String project) {
        Database d = get(project);
        if (d.getState() == DatabaseState.DATABASE_STATE_FAILED) {
            throw new IllegalStateException("database " + project + " FAILED: " + d.getLastError());
        }
    }

    /** Calls {@code attempt} every {@code pause} until it returns non-null, for at most {@link #LIMIT}. */
    static <T> T poll(String what, Supplier<T> attempt, Duration pause) throws InterruptedException {
        return poll(what, attempt, pause, () -> "");
    }

    /** @param seen what the last attempt saw, for the error when none succeeded */
    static <T> T poll(String what, Supplier<T> attempt, Duration pause, Supplier<String> seen) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            T result = attempt.get();
            if (result != null) {
                return result;
            }
            Thread.sleep(pause.toMillis());
        }
        String last = seen.get();
        throw new IllegalStateException("no " + what + " within " + LIMIT + (last.isEmpty() ? "" : " (last seen: " + last + ")"));
    }
}
