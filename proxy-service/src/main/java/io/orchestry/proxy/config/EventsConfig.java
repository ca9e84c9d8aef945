package io.orchestry.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * WatchProxyEvents and the outbox behind it ({@code orchestry.proxy.events}).
 *
 * @param watchBuffer  recent events a reconnecting watcher can replay
 * @param feedInterval how often the outbox is read for other replicas' events
 * @param outboxKeep   outbox rows kept behind the feed (older ones are pruned)
 */
@ConfigurationProperties("orchestry.proxy.events")
public record EventsConfig(
        @Bindable(defaultValue = "10000") @Min(1) int watchBuffer,
        @Bindable(defaultValue = "200ms") @NotNull Duration feedInterval,
        @Bindable(defaultValue = "100000") @Min(1) long outboxKeep) {
}
