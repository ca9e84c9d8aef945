package io.orchestry.provisioner.runtime.database;

import io.orchestry.provisioner.domain.ComputeResources;

import java.time.Instant;
import java.util.Objects;

/**
 * One project's PostgreSQL server.
 *
 * @param name         deterministic: {@code orchestry-db-<project>} (container, data folder, volume are named after it)
 * @param version      a major version from {@link DatabaseDriver#versions()}
 * @param port         where it listens on the node's address (leased by the caller, never 0 here)
 * @param username     the superuser of the cluster and owner of {@code databaseName}
 * @param limits       CPU and memory the server may use; memory also sizes shared_buffers and max_connections
 *                     ({@link ServerSettings})
 * @param storageBytes bound on the storage where the driver can (0: unbounded)
 * @param createdAt    when the database was created (in the labels)
 */
public record DatabaseServerSpec(String name, String project, String version, int port, String databaseName,
                                 String username, String password, ComputeResources limits, long storageBytes,
                                 Instant createdAt) {
    public DatabaseServerSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(password);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    public static String nameFor(String project) {
        return "orchestry-db-" + project;
    }

    public DatabaseLabels labels() {
        return new DatabaseLabels(project, version, createdAt);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "DatabaseServerSpec[" + name + ", postgres " + version + ", port " + port + ", " + limits + "]";
    }
}
