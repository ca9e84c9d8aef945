package io.orchestry.provisioner.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.orchestry.provisioner.domain.PortRange;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Project databases ({@code orchestry.databases.*}).
 *
 * @param versions       the PostgreSQL major versions a database may ask for (a node must also have them)
 * @param defaultVersion what an empty engine version means
 * @param portFirst      first port of the range port 0 leases from
 * @param portLast       last port of that range
 * @param readyTimeout   how long a new database may take to accept connections before it is FAILED and cleaned up
 * @param keepBackups    verified backups kept when a database does not say
 * @param backupFolder   where dumps are written (the node's backup folder); default {@code ${java.io.tmpdir}/orchestry-backups}
 * @param secretsKey     base64 of the 32-byte AES key that seals passwords (required outside dev and test)
 * @param scratchPort    where the scratch server that verifies backups listens
 * @param resync         how often every database is looked at without an event (finds a server that died)
 */
@ConfigurationProperties("orchestry.databases")
public record DatabaseConfig(@Bindable(defaultValue = "15") List<String> versions,
                             @Bindable(defaultValue = "15") String defaultVersion,
                             @Bindable(defaultValue = "25432") int portFirst,
                             @Bindable(defaultValue = "25999") int portLast,
                             @Bindable(defaultValue = "30s") Duration readyTimeout,
                             @Bindable(defaultValue = "7") int keepBackups,
                             @Nullable Path backupFolder,
                             @Nullable String secretsKey,
                             @Bindable(defaultValue = "25431") int scratchPort,
                             @Bindable(defaultValue = "5s") Duration resync) {
    public DatabaseConfig {
        if (versions == null || versions.isEmpty()) {
            versions = List.of("15");
        }
        if (defaultVersion == null || defaultVersion.isBlank()) {
            defaultVersion = versions.get(0);
        }
        if (readyTimeout == null) {
            readyTimeout = Duration.ofSeconds(30);
        }
        if (resync == null) {
            resync = Duration.ofSeconds(5);
        }
        if (backupFolder == null) {
            backupFolder = Path.of(System.getProperty("java.io.tmpdir"), "orchestry-backups");
        }
    }

    public PortRange ports() {
        return new PortRange(portFirst, portLast);
    }
}
