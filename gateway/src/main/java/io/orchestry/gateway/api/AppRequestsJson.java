package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * {@code GET /api/v1/apps/{app}/requests}: requests to one app through nginx over one window, from the proxy's access
 * log (the proxy's AppRequestMetrics).
 *
 * @param latencyP50 ISO-8601 upstream response time percentiles; absent without requests
 */
@Serdeable
public record AppRequestsJson(
        String app,
        String project,
        Instant windowStart,
        Instant windowEnd,
        long requests,
        double requestsPerSecond,
        long status2xx,
        long status3xx,
        long status4xx,
        long status5xx,
        @Nullable String latencyP50,
        @Nullable String latencyP95,
        @Nullable String latencyP99) {
}
