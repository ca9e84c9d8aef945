package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/** A node as {@code GET /api/v1/nodes/{node}} shows it. Credentials are never shown. */
@Serdeable
public record NodeJson(
        String name,
        String driverKind,
        String endpoint,
        String region,
        String provider,
        Map<String, String> labels,
        ResourcesJson capacity,
        ResourcesJson allocatable,
        @Nullable ResourcesJson allocated,
        @Nullable UsageJson usage,
        String status,
        String schedulingMode,
        @Nullable Instant drainDeadline,
        boolean independent,
        boolean hasCredentials,
        @Nullable Instant lastHeartbeatTime,
        Instant createTime,
        Instant updateTime,
        long version) {
}
