package io.orchestry.proxy.metrics;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;

/**
 * Requests to one app over one window, from the access log.
 *
 * @param p50 upstream response time percentiles (the request time when no upstream answered); null without requests
 */
public record AppWindow(
        String app,
        String project,
        Instant windowStart,
        Instant windowEnd,
        long requests,
        long status2xx,
        long status3xx,
        long status4xx,
        long status5xx,
        @Nullable Duration p50,
        @Nullable Duration p95,
        @Nullable Duration p99) {

    public double requestsPerSecond() {
        double seconds = Duration.between(windowStart, windowEnd).toNanos() / 1e9;
        return seconds <= 0 ? 0 : requests / seconds;
    }
}
