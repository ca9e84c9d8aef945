package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * One rendering of the nginx configuration and what became of it. The config names every routed
 * app, so only cluster-wide admins read it ({@code GET /api/v1/proxy/config}); it never holds a
 * private key (keys are written to files it refers to).
 *
 * @param number   1, 2, ...: the order revisions were rendered in
 * @param config   the rendered configuration; absent in lists and events
 * @param checksum hex SHA-256 of the config
 * @param outcome  pending, applied, rejected_by_nginx_test, reload_failed, rolled_back or superseded
 * @param error    nginx's output when it was rejected, or why the reload or a probe failed; empty otherwise
 * @param trigger  route_change, instance_change, manual or startup
 * @param reason   what changed, for people
 * @param finishTime when the outcome became final
 */
@Serdeable
public record ConfigRevisionJson(
        String id,
        long number,
        @Nullable String config,
        String checksum,
        @Nullable String outcome,
        String error,
        @Nullable String trigger,
        String reason,
        @Nullable Instant createTime,
        @Nullable Instant finishTime) {

    /** A page of revisions, newest first; pass {@code nextPageToken} as {@code pageToken} for the next one. */
    @Serdeable
    public record Page(List<ConfigRevisionJson> items, @Nullable String nextPageToken) {
    }
}
