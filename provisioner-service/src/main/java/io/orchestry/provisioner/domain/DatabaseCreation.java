package io.orchestry.provisioner.domain;

import io.micronaut.context.BeanProvider;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.config.DatabaseConfig;
import io.orchestry.provisioner.fleet.NodeTargets;
import io.orchestry.provisioner.placement.DatabasePlacer;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.database.PortProbe;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * CreateDatabase: validate; the project must exist (its organization is recorded); one database per project; place it
 * (back to its kept data, or a node with the version); hold the project in the registry; then the row CREATING with its
 * port leased, in one transaction. The reconciler starts the server and waits until it accepts connections.
 */
@Singleton
public class DatabaseCreation {
    public static final String HOLDER = "database";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCreation.class);

    private final DatabaseRepository databases;
    private final Projects projects;
    private final Fleet fleet;
    private final Drivers drivers;
    private final DatabaseSecrets secrets;
    private final DatabaseConfig config;
    private final BeanProvider<DatabaseChangeListener> listener;
    private final Clock clock;

    public DatabaseCreation(DatabaseRepository databases, Projects projects, Fleet fleet, Drivers drivers,
                            DatabaseSecrets secrets, DatabaseConfig config, BeanProvider<DatabaseChangeListener> listener,
                            Clock clock) {
        this.databases = databases;
        this.projects = projects;
        this.fleet = fleet;
        this.drivers = drivers;
        this.secrets = secrets;
        this.config = config;
        this.listener = listener;
        this.clock = clock;
    }

    public Database create(DatabaseRequest request) {
        DatabaseValidator.checkNew(request, config.versions());
        String project = request.project();
        String organization = projects.organizationOf(project);
        if (databases.find(project).isPresent()) {
            throw new AlreadyExistsException("database", project);
        }
        String version = request.engineVersion().isEmpty() ? config.defaultVersion() : request.engineVersion();
        ComputeResources resources = new ComputeResources(request.cpuMillis(),
                request.memoryBytes() == 0 ? io.orchestry.provisioner.runtime.database.ServerSettings.DEFAULT_MEMORY
                        : request.memoryBytes());
        Optional<KeptData> kept = databases.keptData(project);
        if (kept.isPresent() && !kept.get().organization().equals(organization)) {
            // project names are reused: the data an earlier project of this name kept is not this one's to adopt
            throw new FailedPreconditionException("node " + kept.get().nodeName() + " keeps the data of an earlier project "
                    + project + " of another organization; it must be removed from that node before " + project
                    + " gets a database");
        }
        FleetNode node = DatabasePlacer.place(project, version, resources, request.nodeName(), kept, fleet.nodes(),
                n -> drivers.supportsDatabases(n.driverKind()), this::versionsOn);
        String password = request.password().isEmpty() ? Passwords.generate() : request.password();
        Instant now = clock.instant();
        String sqlName = kept.map(KeptData::databaseName).orElse(Database.sqlName(project));
        String username = kept.map(KeptData::username).orElse(Database.sqlName(project));
        Database database = new Database(project, organization, version, node.name(), request.port(), resources,
                request.storageBytes(), sqlName, username, secrets.seal(project, password), request.backupSchedule(),
                request.keepBackups() == 0 ? config.keepBackups() : request.keepBackups(), kept.isPresent(), false, false,
                now, 1, DatabaseStatus.NEW.withHost(node.address()));
        projects.hold(project, HOLDER, true);
        Database written;
        try {
            written = databases.insert(database, config.ports(), (n, port) -> PortProbe.free(node.address(), port));
        } catch (AlreadyExistsException e) {
            if (databases.find(project).isEmpty()) {
                release(project); // the port was taken, not the project: nothing holds it
            }
            throw e;
        } catch (RuntimeException e) {
            if (databases.find(project).isEmpty()) {
                release(project); // unless a concurrent creation of the project won
            }
            throw e;
        }
        listener.ifPresent(l -> l.databaseChanged(project));
        return written;
    }

    private Set<String> versionsOn(FleetNode node) {
        try {
            return drivers.databasesForNode(NodeTargets.of(node)).versions();
        } catch (RuntimeException e) {
            LOG.debug("cannot ask node {} for its PostgreSQL versions: {}", node.name(), e.toString());
            return Set.of();
        }
    }

    private void release(String project) {
        try {
            projects.hold(project, HOLDER, false);
        } catch (RuntimeException e) {
            LOG.warn("could not release the hold on project {} after a failed creation: {}", project, e.toString());
        }
    }
}
