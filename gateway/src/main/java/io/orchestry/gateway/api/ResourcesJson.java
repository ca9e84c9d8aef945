package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Compute in JSON: thousandths of a core, bytes of memory, bytes of disk. */
@Serdeable
public record ResourcesJson(@Nullable Long cpuMillis, @Nullable Long memoryBytes, @Nullable Long diskBytes) {
}
