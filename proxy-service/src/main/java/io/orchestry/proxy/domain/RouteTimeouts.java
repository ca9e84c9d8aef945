package io.orchestry.proxy.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/** proxy_connect_timeout and proxy_read_timeout; null fields take nginx's defaults. Whole milliseconds, at least 1 ms. */
public record RouteTimeouts(@Nullable Duration connect, @Nullable Duration read) {
    public static final RouteTimeouts DEFAULTS = new RouteTimeouts(null, null);
}
