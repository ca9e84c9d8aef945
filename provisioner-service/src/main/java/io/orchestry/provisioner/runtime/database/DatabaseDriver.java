package io.orchestry.provisioner.runtime.database;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs PostgreSQL servers on one node: one server per project, each with its own storage (a data folder, a named volume).
 * One instance per node (made by a {@link DatabaseDriverFactory}); every method is idempotent and safe from several
 * threads. A server is known by its deterministic {@link DatabaseServerSpec#name()}; everything a driver creates carries
 * {@link DatabaseLabels}, and a driver never touches what does not carry them. Failures to reach the node are
 * {@code io.orchestry.error.UnavailableException}; a version the node does not have is
 * {@code io.orchestry.provisioner.runtime.NotOnNodeException}; any other refusal is {@code FailedPreconditionException}.
 */
public interface DatabaseDriver extends AutoCloseable {

    /** PostgreSQL major versions this node can run now ("15", "16"); empty when the node cannot run any. */
    Set<String> versions();

    /**
     * Makes the storage when it is missing (initdb of a new cluster with {@code spec.username()} as its superuser and
     * {@code spec.databaseName()} created in it; data a deleted server kept is found again, never re-initialised), then
     * starts the server, or adopts it when one of ours by this name already runs. At every start the role's password is
     * set to {@code spec.password()}, so the spec is the truth even for kept data. Returns once the server was started,
     * not once it accepts connections (callers wait with {@link DatabaseReadiness}). On a failure it removes what this
     * call made (never data it found).
     */
    DatabaseServer start(DatabaseServerSpec spec);

    /** The server by name: running or not; empty when neither it nor its storage exists. */
    Optional<DatabaseServer> inspect(String name);

    /** Every server of ours on the node, running or stopped, whose storage exists. */
    List<DatabaseServer> list();

    /** Fast shutdown, then kill after the grace; the storage stays. No error when it is not running. */
    void stop(String name, Duration grace);

    /**
     * Stops the server and removes everything it made (container, process state, logs), and its storage too unless
     * {@code keepData}. No error when nothing is left.
     */
    void destroy(String name, boolean keepData);

    /** Releases connections; what runs keeps running. */
    @Override
    void close();
}
