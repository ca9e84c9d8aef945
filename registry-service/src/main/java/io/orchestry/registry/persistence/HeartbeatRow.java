package io.orchestry.registry.persistence;

import io.orchestry.registry.domain.NodeUsage;

import java.time.Instant;

/** The latest heartbeat of one node, as it is flushed to the {@code node} row. */
public record HeartbeatRow(String name, Instant at, NodeUsage usage) {
}
