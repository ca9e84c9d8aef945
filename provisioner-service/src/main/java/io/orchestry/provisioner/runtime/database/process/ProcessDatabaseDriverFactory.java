package io.orchestry.provisioner.runtime.database.process;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.orchestry.controlloop.Leadership;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseDriverFactory;
import io.orchestry.provisioner.runtime.process.Cgroups;
import io.orchestry.provisioner.runtime.process.Exec;
import io.orchestry.provisioner.runtime.process.ProcessConfig;
import io.orchestry.provisioner.runtime.ExecResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The database driver for process nodes: PostgreSQL servers as local processes, in the node's work folder of the
 * process driver ({@code orchestry.process.work-dir}). As the apps' {@code ProcessDriverFactory}: with
 * {@code orchestry.process.stop-on-exit}, the normal exit of the provisioner that leads stops every server its open
 * drivers' nodes run (so dev mode leaves nothing running); a standby only lets go of them; after kill -9 they keep
 * running and the next provisioner's driver adopts them.
 */
@Singleton
public class ProcessDatabaseDriverFactory implements DatabaseDriverFactory, AutoCloseable,
        ApplicationEventListener<ShutdownEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDatabaseDriverFactory.class);

    private final ProcessConfig processConfig;
    private final ProcessDatabaseConfig config;
    private final BooleanSupplier leads;
    private final Clock clock;
    private final Cgroups cgroups;
    private final Map<String, ProcessDatabaseDriver> opened = new ConcurrentHashMap<>();
    private volatile Boolean ledAtShutdown;

    @Inject
    public ProcessDatabaseDriverFactory(ProcessConfig processConfig, ProcessDatabaseConfig config, Leadership leadership) {
        this(processConfig, config, leadership::isLeader, Clock.systemUTC());
    }

    /** @param leads whether this provisioner leads now (asked at exit) */
    public ProcessDatabaseDriverFactory(ProcessConfig processConfig, ProcessDatabaseConfig config, BooleanSupplier leads,
                                        Clock clock) {
        this.processConfig = processConfig;
        this.config = config;
        this.leads = leads;
        this.clock = clock;
        this.cgroups = Cgroups.detect(Path.of("/sys/fs/cgroup"), ownCgroups());
    }

    @Override
    public DriverKind kind() {
        return DriverKind.PROCESS;
    }

    @Override
    public DatabaseDriver open(NodeTarget node) {
        ProcessDatabaseDriver driver = new ProcessDatabaseDriver(node, processConfig.forNode(node.name()).workDir(),
                processConfig.stopGrace(), config.setupTimeout(), cgroups,
                () -> PostgresBinaries.find(PostgresBinaries.DEBIAN_ROOT, config.binaries(), this::versionOf),
                () -> RunAs.detect(config.runAs()), clock);
        opened.put(node.name(), driver);
        return driver;
    }

    /** Whether limits are enforced through cgroups here (else recorded only; the factory logged why). */
    public boolean enforcesLimits() {
        return cgroups.enforces();
    }

    private Optional<String> versionOf(Path bin) {
        ExecResult result = Exec.run(PostgresCommands.version(bin), bin, ClusterSetup.ENV, Duration.ofSeconds(10));
        return result.succeeded() ? Optional.of(result.output()) : Optional.empty();
    }

    private static List<String> ownCgroups() {
        try {
            return Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.US_ASCII);
        } catch (IOException none) {
            return List.of();
        }
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        ledAtShutdown = leads.getAsBoolean();
    }

    /** Stops the servers of the open drivers' nodes when configured to and this provisioner leads, then closes them. */
    @PreDestroy
    @Override
    public void close() {
        Boolean led = ledAtShutdown;
        boolean stop = processConfig.stopOnExit() && (led != null ? led : leads.getAsBoolean());
        if (stop && !opened.isEmpty()) {
            LOG.info("process database driver: stopping the database servers of {} node(s) on exit (stop-on-exit)", opened.size());
        }
        for (ProcessDatabaseDriver driver : List.copyOf(opened.values())) {
            if (stop) {
                try {
                    driver.stopAll(processConfig.stopGrace());
                } catch (RuntimeException e) {
                    LOG.warn("process database driver: not every server stopped on exit: {}", e.toString());
                }
            }
            driver.close();
        }
        opened.clear();
    }
}
