package io.orchestry.gateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * How many requests each API token may make: a token bucket per token, refilled at
 * {@code requestsPerSecond} and holding at most {@code burst}. A request over it is answered 429
 * with {@code Retry-After}. Node agents heartbeat over gRPC (the registry contract), which this
 * does not limit.
 *
 * @param requestsPerSecond sustained rate per token (default 500; 0 turns the limit off)
 * @param burst             requests a token may make at once after being idle (default 1000)
 */
@ConfigurationProperties("orchestry.gateway.rate-limit")
public record RateLimitConfig(
        @PositiveOrZero @Bindable(defaultValue = "500") double requestsPerSecond,
        @PositiveOrZero @Bindable(defaultValue = "1000") int burst) {
}
