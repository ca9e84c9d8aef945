package io.orchestry.provisioner.runtime.database.docker;

import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseDriverFactory;
import io.orchestry.provisioner.runtime.docker.DockerDriverFactory;
import io.orchestry.provisioner.runtime.docker.DockerEngine;
import jakarta.inject.Singleton;

/**
 * Opens a {@link DockerDatabaseDriver} for a docker node, on the same endpoint its apps' driver uses
 * ({@code unix:///var/run/docker.sock} when the node names none, or {@code tcp://host:port}).
 */
@Singleton
public class DockerDatabaseDriverFactory implements DatabaseDriverFactory {

    @Override
    public DriverKind kind() {
        return DriverKind.DOCKER;
    }

    @Override
    public DatabaseDriver open(NodeTarget node) {
        String endpoint = node.endpoint() == null || node.endpoint().isBlank()
                ? DockerDriverFactory.DEFAULT_ENDPOINT : node.endpoint();
        return new DockerDatabaseDriver(node, DockerEngine.open(endpoint, node.name()));
    }
}
