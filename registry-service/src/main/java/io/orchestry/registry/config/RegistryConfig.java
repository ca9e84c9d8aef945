package io.orchestry.registry.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The registry's settings (environment: {@code ORCHESTRY_REGISTRY_*}).
 *
 * @param heartbeatInterval how often nodes are told to send a heartbeat (default 3s)
 * @param suspectAfter      READY becomes SUSPECT after this long without one (default 9s, three intervals)
 * @param downAfter         SUSPECT becomes DOWN after this long without one (default 15s)
 * @param monitorInterval   how often the monitor looks at every node (default 1s)
 * @param flushInterval     how often the latest heartbeats are written to PostgreSQL in one batch (default 1s):
 *                          a restart loses at most this much
 * @param feedInterval      how often each replica reads the changes other replicas committed, for its watchers and
 *                          its fleet state (default 200ms); its own changes it reads at once
 * @param watchBuffer       how many recent node changes a reconnecting watcher can replay (default 4096)
 * @param credentialsKey    base64 of a 256-bit AES key that encrypts node credentials; required outside the
 *                          dev and test environments
 */
@ConfigurationProperties("orchestry.registry")
public record RegistryConfig(
        @NotNull @Bindable(defaultValue = "3s") Duration heartbeatInterval,
        @NotNull @Bindable(defaultValue = "9s") Duration suspectAfter,
        @NotNull @Bindable(defaultValue = "15s") Duration downAfter,
        @NotNull @Bindable(defaultValue = "1s") Duration monitorInterval,
        @NotNull @Bindable(defaultValue = "1s") Duration flushInterval,
        @NotNull @Bindable(defaultValue = "200ms") Duration feedInterval,
        @Min(16) @Bindable(defaultValue = "4096") int watchBuffer,
        @Nullable String credentialsKey) {
}
