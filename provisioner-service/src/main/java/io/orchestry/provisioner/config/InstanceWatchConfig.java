package io.orchestry.provisioner.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Instance watches and stats streams ({@code orchestry.provisioner.instances}).
 *
 * @param watchBuffer   recent changes a reconnecting watcher can replay
 * @param feedInterval  how often the outbox is read for other replicas' changes
 * @param outboxKeep    outbox rows kept behind the feed (older ones are pruned)
 *                      <p>The shortest (and default) StreamInstanceStats interval is the stats collector's,
 *                      {@code orchestry.provisioner.stats-interval} ({@code ObserveConfig}): one key, one meaning.
 */
@ConfigurationProperties("orchestry.provisioner.instances")
public record InstanceWatchConfig(
        @Bindable(defaultValue = "10000") @Min(1) int watchBuffer,
        @Bindable(defaultValue = "200ms") @NotNull Duration feedInterval,
        @Bindable(defaultValue = "100000") @Min(1) long outboxKeep) {
}
