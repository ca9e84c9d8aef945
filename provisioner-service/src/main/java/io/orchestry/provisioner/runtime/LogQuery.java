package io.orchestry.provisioner.runtime;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** @param since null: no bound */
public record LogQuery(int tailLines, boolean follow, @Nullable Instant since) {
}
