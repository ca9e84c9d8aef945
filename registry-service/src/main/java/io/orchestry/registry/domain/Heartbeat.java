package io.orchestry.registry.domain;

import java.time.Instant;

/** The latest heartbeat of one node, as it is flushed to the database. */
public record Heartbeat(String name, Instant at, NodeUsage usage) {
}
