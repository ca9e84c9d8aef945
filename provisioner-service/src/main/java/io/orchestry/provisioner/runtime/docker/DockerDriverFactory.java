package io.orchestry.provisioner.runtime.docker;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.DriverFactory;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Opens a {@link DockerDriver} for a docker node: its endpoint is {@code unix:///var/run/docker.sock} (an engine on
 * this machine) or {@code tcp://host:port} (plain TCP; TLS is not supported yet).
 */
@Singleton
public class DockerDriverFactory implements DriverFactory {
    /** The engine's default socket, for a node registered with no endpoint. */
    public static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";

    private final Clock clock;

    @Inject
    public DockerDriverFactory(@Nullable Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    @Override
    public DriverKind kind() {
        return DriverKind.DOCKER;
    }

    @Override
    public RuntimeDriver open(NodeTarget node) {
        String endpoint = node.endpoint() == null || node.endpoint().isBlank() ? DEFAULT_ENDPOINT : node.endpoint();
        return new DockerDriver(node, DockerEngine.open(endpoint, node.name()), clock);
    }
}
