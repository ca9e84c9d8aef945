package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** The body of {@code POST /api/v1/nodes/{node}/drain}: when the node must be empty (default: in five minutes). */
@Serdeable
public record DrainJson(@Nullable Instant deadline) {
}
