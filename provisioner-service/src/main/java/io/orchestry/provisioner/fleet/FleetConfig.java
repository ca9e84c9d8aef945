package io.orchestry.provisioner.fleet;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The node side of the provisioner (environment {@code ORCHESTRY_PROVISIONER_*}).
 *
 * @param heartbeatInterval how often the node agent fingerprints and heartbeats before the registry has said how often
 *                          it expects them (default 2s); the registry's answer ({@code SendHeartbeatResponse.policy})
 *                          wins from then on, since its monitor judges the node by its own interval
 * @param fingerprintTimeout how long one node's fingerprint may take before it counts as unreachable (default 2s)
 * @param registryDeadline  the deadline of every call to the registry (default 3s)
 * @param nodeThreads       threads that call nodes in parallel, per loop (default 4)
 */
@ConfigurationProperties("orchestry.provisioner")
public record FleetConfig(
        @NotNull @Bindable(defaultValue = "2s") Duration heartbeatInterval,
        @NotNull @Bindable(defaultValue = "2s") Duration fingerprintTimeout,
        @NotNull @Bindable(defaultValue = "3s") Duration registryDeadline,
        @Min(1) @Bindable(defaultValue = "4") int nodeThreads) {

    public static final FleetConfig DEFAULTS = new FleetConfig(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(3), 4);
}
