package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** {@code GET/PUT /api/v1/nodes/{node}/independence}. */
@Serdeable
public record IndependenceJson(@Nullable Boolean independent) {
}
