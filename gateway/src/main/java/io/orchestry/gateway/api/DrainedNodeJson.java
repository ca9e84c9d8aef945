package io.orchestry.gateway.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What {@code POST /api/v1/nodes/{node}/drain} answers: the node (its fields at the top level, as
 * {@code GET /api/v1/nodes/{node}} shows them) and how many instances are still on it (0: drained).
 * Call again to follow the progress.
 */
@Serdeable
public record DrainedNodeJson(@JsonUnwrapped NodeJson node, int remainingInstances) {
}
