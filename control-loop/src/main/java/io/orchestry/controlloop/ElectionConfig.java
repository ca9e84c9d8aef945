package io.orchestry.controlloop;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How a service elects the replica that runs its loops ({@code orchestry.election.*}).
 *
 * @param enabled  contend on PostgreSQL (default true); false runs the loops on this replica
 *                 without asking, which is right for exactly one replica only
 * @param interval how often a follower tries to take over and the leader checks its connection
 *                 (default 1s): a dead leader is replaced within about one interval
 * @param timeout  how long the leader's check may take before it counts itself deposed (default 1s)
 * @param name     the election's name, default {@code micronaut.application.name}: replicas of one
 *                 service share it
 */
@ConfigurationProperties("orchestry.election")
public record ElectionConfig(
        @Bindable(defaultValue = "true") boolean enabled,
        @NotNull @Bindable(defaultValue = "1s") Duration interval,
        @NotNull @Bindable(defaultValue = "1s") Duration timeout,
        @Nullable String name) {
}
