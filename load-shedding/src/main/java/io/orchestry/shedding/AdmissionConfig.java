package io.orchestry.shedding;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.List;

/**
 * How much unary work a service's gRPC server takes at once ({@code ORCHESTRY_GRPC_ADMISSION_MAX_IN_FLIGHT}).
 *
 * @param maxInFlight    unary calls running at once; one more is refused with RESOURCE_EXHAUSTED. 0 turns the limit off.
 *                       Heartbeats touch no connection, so this is sized for them (the benchmark keeps 64 in flight);
 *                       calls that need the database wait for one of the pool's connections behind it.
 * @param retryAfter     the delay a refused caller is told to wait (google.rpc.RetryInfo), with up to as much again
 *                       added at random so that refused callers do not come back together
 * @param exemptServices gRPC services never refused: the probes that say whether a service is alive must keep
 *                       answering when it is busy, or overload turns into restarts
 */
@ConfigurationProperties("orchestry.grpc.admission")
public record AdmissionConfig(@Bindable(defaultValue = "128") @Min(0) int maxInFlight,
                              @Bindable(defaultValue = "100ms") @NotNull Duration retryAfter,
                              @Bindable(defaultValue = "grpc.health.v1.Health,orchestry.system.v1.SystemService")
                              @NotNull List<String> exemptServices) {
}
