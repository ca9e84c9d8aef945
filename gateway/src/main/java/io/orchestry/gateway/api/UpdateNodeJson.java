package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * The body of {@code PATCH /api/v1/nodes/{node}}: {@code version} as last read, and only the fields
 * to change (a field left out stays as it is).
 */
@Serdeable
public record UpdateNodeJson(
        @Nullable Long version,
        @Nullable Map<String, String> labels,
        @Nullable ResourcesJson capacity,
        @Nullable ResourcesJson reserved,
        @Nullable String region,
        @Nullable String provider,
        @Nullable String endpoint,
        @Nullable CredentialsJson credentials) {
}
