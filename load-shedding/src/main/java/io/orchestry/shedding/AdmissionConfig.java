package io.orchestry.shedding;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How much unary work a service's gRPC server takes at once ({@code ORCHESTRY_GRPC_ADMISSION_MAX_IN_FLIGHT}).
 *
 * @param maxInFlight unary calls running at once; one more is refused with RESOURCE_EXHAUSTED. 0 turns the limit off.
 * @param retryAfter  the delay a refused caller is told to wait (google.rpc.RetryInfo)
 */
@ConfigurationProperties("orchestry.grpc.admission")
public record AdmissionConfig(@Bindable(defaultValue = "128") @Min(0) int maxInFlight,
                              @Bindable(defaultValue = "100ms") @NotNull Duration retryAfter) {
}
