package io.orchestry.health;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How a service decides it is healthy.
 *
 * @param databaseProbeInterval how often the database is asked (default 2s)
 * @param databaseProbeTimeout  how long one probe may take before the database counts as down (default 1s)
 */
@ConfigurationProperties("orchestry.health")
public record HealthConfig(
        @NotNull @Bindable(defaultValue = "2s") Duration databaseProbeInterval,
        @NotNull @Bindable(defaultValue = "1s") Duration databaseProbeTimeout) {
}
