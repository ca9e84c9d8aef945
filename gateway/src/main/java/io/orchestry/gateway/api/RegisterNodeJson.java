package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/**
 * The body of {@code POST /api/v1/nodes}. Everything is checked by the registry, which names
 * every bad field at once; the gateway only checks what it must to build the call.
 */
@Schema(example = """
        {"name": "laptop", "driverKind": "process", "region": "home", "labels": {"disk": "ssd"},
         "capacity": {"cpuMillis": 4000, "memoryBytes": 8589934592}}""")
@Serdeable
public record RegisterNodeJson(
        @Nullable String name,
        @Nullable String driverKind,
        @Nullable String endpoint,
        @Nullable String region,
        @Nullable String provider,
        @Nullable Map<String, String> labels,
        @Nullable ResourcesJson capacity,
        @Nullable ResourcesJson reserved,
        @Nullable CredentialsJson credentials) {
}
