package io.orchestry.provisioner.backup;

import io.micronaut.context.annotation.Factory;
import io.orchestry.provisioner.config.DatabaseConfig;
import io.orchestry.provisioner.domain.BackupExecutor;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.micronaut.context.annotation.Bean;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * The backup machinery, wired: Debian's PostgreSQL tools, the backup folder as the store, and the scratch server that
 * every backup is restored into before it counts — a PostgreSQL of the database's version on this machine, run by the
 * process database driver as node {@value #SCRATCH_NODE}, listening on 127.0.0.1 at {@code scratch-port} minus the major
 * version's distance from 15 (15: 25431, 16: 25430; versions never share a port, and none reaches the lease range
 * above it).
 */
@Factory
class BackupFactory {
    static final String SCRATCH_NODE = "orchestry-scratch";
    static final Duration TOOL_TIMEOUT = Duration.ofHours(2);
    static final ComputeResources SCRATCH_LIMITS = new ComputeResources(0, 256L * 1024 * 1024);

    @Singleton
    BackupStore backupStore(DatabaseConfig config) {
        return new LocalBackupStore(config.backupFolder());
    }

    @Singleton
    PostgresTools postgresTools() {
        return PostgresTools.debian();
    }

    /** Closed (its servers removed with their data) when the provisioner stops. */
    @Singleton
    @Bean(preDestroy = "close")
    LocalScratchServer scratchServer(Drivers drivers, DatabaseConfig config, Clock clock) {
        return new LocalScratchServer(() -> {
            DatabaseDriver local = drivers.databasesForNode(
                    new NodeTarget(SCRATCH_NODE, DriverKind.PROCESS, "local", "127.0.0.1"));
            return new DriverScratchServer(local, version -> config.scratchPort() - (Integer.parseInt(version) - 15),
                    SCRATCH_LIMITS, config.readyTimeout(), clock);
        });
    }

    @Singleton
    BackupExecutor backupExecutor(PostgresTools tools, BackupStore store, ScratchServer scratch, Clock clock) {
        BackupRunner runner = new BackupRunner(new SnapshotDumper(tools, store, TOOL_TIMEOUT, clock),
                new BackupVerifier(tools, store, scratch, TOOL_TIMEOUT), clock);
        return new BackupExecution(runner, new Restorer(tools, store, TOOL_TIMEOUT, clock), store);
    }
}
