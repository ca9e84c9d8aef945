package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What should run for an app: the domain form of {@code orchestry.provisioner.v1.AppSpec}, with every default already
 * applied (the mapper fills them, the validator checks the result). Everything but {@link #replicas()} is "what runs":
 * a change of it makes a new revision.
 *
 * @param healthCheck null: a replica is healthy while it runs
 */
public record AppSpec(
        Runtime runtime,
        Map<String, String> env,
        List<PortSpec> ports,
        int replicas,
        ResourceRequirements resources,
        @Nullable HealthCheck healthCheck,
        RestartPolicy restartPolicy,
        Placement placement,
        DeploymentStrategy deploymentStrategy,
        RollingUpdate rollingUpdate) {

    public AppSpec {
        env = Map.copyOf(env);
        ports = List.copyOf(ports);
    }

    public AppSpec withReplicas(int newReplicas) {
        return new AppSpec(runtime, env, ports, newReplicas, resources, healthCheck, restartPolicy, placement,
                deploymentStrategy, rollingUpdate);
    }

    /**
     * True when both run the same thing: everything equal but the replica count and how a rollout proceeds (strategy and
     * its bounds, as in Kubernetes), so no new revision and no rollout is needed.
     */
    public boolean sameWorkload(AppSpec other) {
        return Objects.equals(workload(), other.workload());
    }

    private AppSpec workload() {
        return new AppSpec(runtime, env, ports, 0, resources, healthCheck, restartPolicy, placement,
                DeploymentStrategy.ROLLING_UPDATE, null);
    }

    /** The port a probe or the proxy means by {@code name}; empty name: the first port. */
    public java.util.Optional<PortSpec> port(String name) {
        if (name == null || name.isEmpty()) {
            return ports.stream().findFirst();
        }
        return ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
