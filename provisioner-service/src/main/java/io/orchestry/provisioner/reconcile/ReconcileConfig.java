package io.orchestry.provisioner.reconcile;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The reconciler's settings ({@code orchestry.provisioner.reconcile.*}, env {@code ORCHESTRY_PROVISIONER_RECONCILE_*}).
 *
 * @param workers       apps reconciled in parallel (default 4)
 * @param resync        every app is looked at this often even without an event (default 30s)
 * @param stopGrace     a replica that is stopped gets this long after SIGTERM before SIGKILL (default 10s)
 * @param capacityRetry how soon placement is tried again when nothing fits (default 30s)
 */
@ConfigurationProperties("orchestry.provisioner.reconcile")
public record ReconcileConfig(
        @Min(1) @Bindable(defaultValue = "4") int workers,
        @NotNull @Bindable(defaultValue = "30s") Duration resync,
        @NotNull @Bindable(defaultValue = "10s") Duration stopGrace,
        @NotNull @Bindable(defaultValue = "30s") Duration capacityRetry) {

    public static final ReconcileConfig DEFAULTS = new ReconcileConfig(4, Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(30));
}
