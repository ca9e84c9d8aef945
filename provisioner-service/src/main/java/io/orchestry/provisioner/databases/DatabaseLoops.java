package io.orchestry.provisioner.databases;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Backoff;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.LeaderGate;
import io.orchestry.controlloop.Leadership;
import io.orchestry.provisioner.config.DatabaseConfig;
import io.orchestry.provisioner.domain.DatabaseChangeListener;
import io.orchestry.provisioner.domain.DatabaseRepository;
import io.orchestry.provisioner.domain.DatabaseSecrets;
import io.orchestry.provisioner.domain.Fleet;
import io.orchestry.provisioner.domain.Projects;
import io.orchestry.provisioner.reconcile.ReconcileConfig;
import io.orchestry.provisioner.runtime.Drivers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * The database loops, wired: the database reconciler (workers, backoff, resync over every database) and the backup
 * runner, on the leader only through one {@link LeaderGate}, started once the server is up. A use case's change, a
 * backup request and a node's change enqueue; a server that dies has no event, so the resync ({@code
 * orchestry.databases.resync}, 5 s) is what finds it.
 */
@Singleton
@Requires(property = "orchestry.provisioner.loops.enabled", notEquals = "false")
public class DatabaseLoops implements DatabaseChangeListener, ApplicationEventListener<ServerStartupEvent> {
    private final Leadership leadership;
    private final Controller<String> databaseLoop;
    private final BackupLoop backups;
    private LeaderGate gate;

    public DatabaseLoops(DatabaseRepository databases, Fleet fleet, Drivers drivers, Projects projects,
                         DatabaseSecrets secrets, DatabaseConfig config, ReconcileConfig reconcile, BackupLoop backups,
                         Leadership leadership, Clock clock, @Nullable MeterRegistry meters) {
        this.leadership = leadership;
        this.backups = backups;
        DatabaseReconciler reconciler = new DatabaseReconciler(databases, fleet, drivers, projects, secrets,
                config.readyTimeout(), clock);
        this.databaseLoop = Controller.builder("provisioner-databases", reconciler)
                .workers(reconcile.workers())
                .backoff(Backoff.of(Duration.ofMillis(200), Duration.ofMinutes(1)))
                .resync(config.resync(), databases::projects)
                .clock(clock)
                .meterRegistry(meters)
                .build();
        fleet.addListener(node -> databases.projects().forEach(databaseLoop::enqueue));
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (gate == null) {
            gate = LeaderGate.of(leadership, databaseLoop, backups.controller());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (gate != null) {
            gate.close();
        }
        databaseLoop.stop();
        backups.close();
    }

    @Override
    public void databaseChanged(String project) {
        databaseLoop.enqueue(project);
    }

    @Override
    public void backupRequested(String backupId) {
        backups.wake();
    }
}
