package io.orchestry.proxy.metrics;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the access log ({@link AccessLogFormat}).
 *
 * @param route        the route's id; empty when no route took the request (the default server's 404)
 * @param app          the app the route leads to; empty when no route took the request
 * @param upstream     the instance address(es) as nginx writes them ({@code "-"} or empty when none)
 * @param upstreamTime the last upstream's response time when nginx tried several; null when no upstream answered
 */
public record AccessRecord(
        Instant time,
        String route,
        String app,
        String upstream,
        int status,
        long bytes,
        Duration requestTime,
        @Nullable Duration upstreamTime) {

    public AccessRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(requestTime, "requestTime");
    }

    /** Whether a route took the request. */
    public boolean routed() {
        return !app.isEmpty();
    }

    /** The latency the windows count: the upstream's response time, or the request time when no upstream answered. */
    public Duration latency() {
        return upstreamTime != null ? upstreamTime : requestTime;
    }
}
