package io.orchestry.provisioner.observe;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How the provisioner watches what runs (environment {@code ORCHESTRY_PROVISIONER_*}).
 *
 * @param observeInterval how often every node's workloads are listed and compared with the instances (default 1s)
 * @param statsInterval   how often running instances' CPU and memory are sampled (default 5s)
 * @param probeTick       how often the prober looks for probes that are due; each instance is probed at its health
 *                        check's interval (default 250ms); until a new run's first success, extra probes come between
 *                        (every 50 ms at first, see HealthProber)
 * @param nodeTimeout     how long one node's list or stats may take in a round before the node is skipped (default 2s)
 * @param probeThreads    threads that run health probes in parallel (default 4)
 * @param nodeThreads     threads that call nodes in parallel, per loop (default 4)
 */
@ConfigurationProperties("orchestry.provisioner")
public record ObserveConfig(
        @NotNull @Bindable(defaultValue = "1s") Duration observeInterval,
        @NotNull @Bindable(defaultValue = "5s") Duration statsInterval,
        @NotNull @Bindable(defaultValue = "250ms") Duration probeTick,
        @NotNull @Bindable(defaultValue = "2s") Duration nodeTimeout,
        @Min(1) @Bindable(defaultValue = "4") int probeThreads,
        @Min(1) @Bindable(defaultValue = "4") int nodeThreads) {

    public static final ObserveConfig DEFAULTS = new ObserveConfig(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofMillis(250), Duration.ofSeconds(2), 4, 4);
}
