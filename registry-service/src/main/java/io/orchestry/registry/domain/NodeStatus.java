package io.orchestry.registry.domain;

/** A node's health as the registry's monitor sees it. */
public enum NodeStatus {
    /** Registered, no heartbeat yet. */
    PENDING,
    READY,
    /** No heartbeat for a while. */
    SUSPECT,
    /** No heartbeat for long enough that its replicas are moved away. */
    DOWN,
    /** Runs on its own: no heartbeat expected, never DOWN, no placements. */
    INDEPENDENT
}
