package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** What a node reports in a heartbeat. */
@Serdeable
public record UsageJson(@Nullable Long cpuMillis, @Nullable Long memoryBytes, @Nullable Long diskBytes,
                        @Nullable Integer runningWorkloads) {
}
