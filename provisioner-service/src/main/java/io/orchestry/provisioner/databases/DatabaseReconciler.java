package io.orchestry.provisioner.databases;

import io.orchestry.controlloop.Reconciler;
import io.orchestry.controlloop.Result;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.NotFoundException;
import io.orchestry.provisioner.domain.Database;
import io.orchestry.provisioner.domain.DatabaseCreation;
import io.orchestry.provisioner.domain.DatabaseRepository;
import io.orchestry.provisioner.domain.DatabaseSecrets;
import io.orchestry.provisioner.domain.DatabaseState;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.FleetNode;
import io.orchestry.provisioner.domain.KeptData;
import io.orchestry.provisioner.domain.Projects;
import io.orchestry.provisioner.fleet.NodeTargets;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseReadiness;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Reconciles one project's database (the key is the project): re-reads the row and asks the node's driver what runs.
 * <ul>
 *   <li>CREATING: start the server (idempotent), wait until it accepts the database's own credentials; past the ready
 *   timeout, or refused by the node, it is FAILED with the reason and what the creation made is removed (its server,
 *   its storage unless it was kept data, its port lease).</li>
 *   <li>READY: a server found dead is started again on its data (restarts + 1, the cause in lastError); storage that is
 *   gone is FAILED, never silently re-initialised.</li>
 *   <li>DELETING: the server and, unless keepData, its storage are removed; then the row, its lease and the project's
 *   hold. A database whose project the registry no longer has is deleted the same way.</li>
 * </ul>
 */
public final class DatabaseReconciler implements Reconciler<String> {
    static final Duration READY_POLL = Duration.ofMillis(50);
    static final Duration READY_SLICE = Duration.ofSeconds(5);
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** How often a database's project is looked up in the registry (its resync is more frequent). */
    static final Duration PROJECT_CHECK = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseReconciler.class);

    private final DatabaseRepository databases;
    private final Fleet fleet;
    private final Drivers drivers;
    private final Projects projects;
    private final DatabaseSecrets secrets;
    private final Duration readyTimeout;
    private final Clock clock;
    private final java.util.Map<String, Instant> projectChecked = new java.util.concurrent.ConcurrentHashMap<>();

    public DatabaseReconciler(DatabaseRepository databases, Fleet fleet, Drivers drivers, Projects projects,
                              DatabaseSecrets secrets, Duration readyTimeout, Clock clock) {
        this.databases = databases;
        this.fleet = fleet;
        this.drivers = drivers;
        this.projects = projects;
        this.secrets = secrets;
        this.readyTimeout = readyTimeout;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String project) {
        Optional<Database> row = databases.find(project);
        if (row.isEmpty()) {
            projectChecked.remove(project);
            return Result.done();
        }
        if (!fleet.listed()) {
            return Result.requeueAfter(Duration.ofSeconds(1));
        }
        Database d = row.get();
        if (!d.deleting() && d.status().state() != DatabaseState.CREATING && projectGone(project)) {
            // its data is kept (a registry that lost a project by mistake must not cost the data); a forced project
            // delete goes through the gateway, which deletes the database first
            LOG.info("project {} is gone from the registry: deleting its database, keeping its data", project);
            d = databases.markDeleting(project, true);
        }
        Optional<FleetNode> node = fleet.node(d.nodeName());
        if (d.deleting()) {
            return delete(d, node);
        }
        if (node.isEmpty()) {
            if (d.status().state() == DatabaseState.CREATING) {
                databases.failCreation(project, d.status().failed("node " + d.nodeName() + " left the fleet"));
                return Result.done();
            }
            note(d, "node " + d.nodeName() + " is not in the fleet");
            return Result.requeueAfter(Duration.ofSeconds(30));
        }
        DatabaseDriver driver = drivers.databasesForNode(NodeTargets.of(node.get()));
        return switch (d.status().state()) {
            case CREATING -> create(d, node.get(), driver);
            case READY -> keepRunning(d, node.get(), driver);
            case FAILED, DELETING -> Result.done();
        };
    }

    private Result create(Database d, FleetNode node, DatabaseDriver driver) {
        Instant deadline = d.createTime().plus(readyTimeout);
        String password = secrets.password(d);
        String last;
        try {
            driver.start(spec(d, password));
            Duration left = Duration.between(clock.instant(), deadline);
            last = DatabaseReadiness.await(node.address(), d.port(), d.databaseName(), d.username(), password,
                    left.compareTo(READY_SLICE) < 0 ? (left.isNegative() ? Duration.ZERO : left) : READY_SLICE,
                    READY_POLL, Clock.systemUTC()); // a real wait of at most the slice; the deadline is the clock's
        } catch (NotOnNodeException | FailedPreconditionException e) {
            return fail(d, driver, "node " + node.name() + " cannot run it: " + e.getMessage());
        } catch (RuntimeException e) {
            if (!clock.instant().isBefore(deadline)) {
                return fail(d, driver, "could not be started within " + readyTimeout.toSeconds() + " s: " + e.getMessage());
            }
            throw e; // retried with backoff until the deadline
        }
        if (last == null) {
            databases.writeStatus(d.project(), d.status().ready(node.address(), clock.instant()));
            LOG.info("database of {} is READY on {}:{}", d.project(), node.address(), d.port());
            return Result.done();
        }
        if (!clock.instant().isBefore(deadline)) {
            String detail = driver.inspect(d.name()).map(DatabaseServer::detail).filter(s -> !s.isBlank()).orElse("");
            return fail(d, driver, "did not accept connections within " + readyTimeout.toSeconds() + " s: " + last
                    + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        return Result.requeueAfter(Duration.ofMillis(200));
    }

    private Result keepRunning(Database d, FleetNode node, DatabaseDriver driver) {
        Optional<DatabaseServer> server = driver.inspect(d.name());
        if (server.isEmpty()) {
            databases.writeStatus(d.project(), d.status().failed("its storage on node " + node.name()
                    + " is gone; restore a backup into a new database"));
            return Result.done();
        }
        if (server.get().running()) {
            return Result.done();
        }
        String why = "the server was not running" + (server.get().detail().isBlank() ? "" : " (" + server.get().detail()
                + ")") + "; started again on its data at " + clock.instant();
        LOG.warn("database of {}: {}", d.project(), why);
        driver.start(spec(d, secrets.password(d)));
        databases.writeStatus(d.project(), d.status().restarted(node.address(), why));
        return Result.requeueAfter(Duration.ofSeconds(1));
    }

    private Result delete(Database d, Optional<FleetNode> node) {
        if (node.isEmpty()) {
            // its server and storage are still there: removing the row (and the lease) now would let a later create
            // adopt data the user asked to delete, or another database take the port, once the node returns
            note(d, "waiting for node " + d.nodeName() + " to come back to remove the server and its storage");
            return Result.requeueAfter(Duration.ofSeconds(30));
        }
        // data a creation found kept and that never became READY is still the user's kept data
        boolean keep = d.keepData() || (d.fromKeptData() && d.status().readyTime() == null);
        DatabaseDriver driver = drivers.databasesForNode(NodeTargets.of(node.get()));
        driver.stop(d.name(), STOP_GRACE);
        driver.destroy(d.name(), keep);
        try {
            // released first: a failure here requeues with the row still there (a release after the row is gone
            // would never be retried)
            projects.hold(d.project(), DatabaseCreation.HOLDER, false);
        } catch (NotFoundException gone) {
            // a forced delete of the project: nothing to release
        }
        KeptData kept = keep ? new KeptData(d.project(), d.organization(), d.nodeName(), d.engineVersion(),
                d.databaseName(), d.username(), clock.instant()) : null;
        databases.remove(d.project(), kept);
        LOG.info("database of {} deleted{}", d.project(), kept != null ? " (its data kept on " + d.nodeName() + ")" : "");
        return Result.done();
    }

    private Result fail(Database d, DatabaseDriver driver, String why) {
        LOG.warn("database of {} FAILED: {}", d.project(), why);
        try {
            driver.stop(d.name(), STOP_GRACE);
            driver.destroy(d.name(), d.fromKeptData());
        } catch (RuntimeException e) {
            LOG.warn("database of {}: cleaning up after the failure failed (retried at delete): {}", d.project(), e.toString());
        }
        databases.failCreation(d.project(), d.status().failed(why));
        return Result.done();
    }

    private void note(Database d, String why) {
        if (!why.equals(d.status().lastError())) {
            databases.writeStatus(d.project(), d.status().withLastError(why));
        }
    }

    private boolean projectGone(String project) {
        Instant now = clock.instant();
        Instant last = projectChecked.get(project);
        if (last != null && now.isBefore(last.plus(PROJECT_CHECK))) {
            return false;
        }
        projectChecked.put(project, now);
        try {
            projects.requireExists(project);
            return false;
        } catch (NotFoundException e) {
            return true;
        } catch (RuntimeException unreachable) {
            return false; // never delete on a registry that does not answer
        }
    }

    static DatabaseServerSpec spec(Database d, String password) {
        return new DatabaseServerSpec(d.name(), d.project(), d.engineVersion(), d.port(), d.databaseName(), d.username(),
                password, d.resources(), d.storageBytes(), d.createTime());
    }
}
