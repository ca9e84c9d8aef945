package io.orchestry.provisioner.reconcile;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Orphan cleanup ({@code orchestry.provisioner.orphans.*}): workloads with our labels and no instance row.
 *
 * @param grace    how old an orphan must be before it is removed, so a start in flight is never one (default 60s)
 * @param dryRun   log what would be removed, remove nothing (default false)
 * @param interval how often every node is looked at (default 30s)
 */
@ConfigurationProperties("orchestry.provisioner.orphans")
public record OrphanConfig(
        @NotNull @Bindable(defaultValue = "60s") Duration grace,
        @Bindable(defaultValue = "false") boolean dryRun,
        @NotNull @Bindable(defaultValue = "30s") Duration interval) {
}
