package io.orchestry.provisioner.domain;

import io.orchestry.paging.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Databases, their port leases and the data kept by deletes. Implemented in {@code persistence}. The use cases write
 * what is asked for; the reconciler writes status and removes rows (fenced: a deposed leader's write fails).
 */
public interface DatabaseRepository {

    Optional<Database> find(String project);

    /** By project name, of the given states (empty: all; DELETING matches deleting rows). */
    List<Database> list(Set<DatabaseState> states, PageRequest page);

    /** Every project with a database row, for the reconciler's resync. */
    List<String> projects();

    /**
     * Writes a new database and leases its port on its node, in one transaction; the kept-data record of the project
     * is consumed. With {@code database.port() == 0}, the lowest port of {@code range} that no database on the node
     * leases and {@code free} accepts is taken (a concurrent creation that took it makes this one take the next).
     * ALREADY_EXISTS when the project has a database or the asked port is leased on that node; RESOURCE_EXHAUSTED when
     * no port of the range is free.
     */
    Database insert(Database database, PortRange range, PortFree free);

    /** The data kept on a node by the project's last delete with keepData, if any. */
    Optional<KeptData> keptData(String project);

    /** Asks for the delete: the row shows DELETING; the reconciler removes the server, then the row. NOT_FOUND. */
    Database markDeleting(String project, boolean keepData);

    /** Changes the backup policy at the row's version; ABORTED when it moved on, NOT_FOUND. */
    Database updateBackupPolicy(String project, long expectedVersion, String schedule, int keepBackups);

    /** The reconciler's status write, whatever the row's version, which it does not move (it guards users' writes); fenced. */
    void writeStatus(String project, DatabaseStatus status);

    /**
     * A creation that failed: the FAILED status with the reason and the release of its port lease, in one transaction
     * (the row stays, so the reason can be read, until it is deleted); fenced.
     */
    void failCreation(String project, DatabaseStatus status);

    /** Records that a backup was verified or that the schedule fired (status fields the backup runner owns); fenced. */
    void writeBackupTimes(String project, Instant lastBackupTime, Instant lastScheduledTime);

    /**
     * Removes a deleting database's row and port lease once its server is gone; with {@code kept}, records the data
     * left on the node. Fenced.
     */
    void remove(String project, KeptData kept);

    /** A port a creation may lease: nothing else listens there on the node. */
    @FunctionalInterface
    interface PortFree {
        boolean test(String node, int port);
    }
}
