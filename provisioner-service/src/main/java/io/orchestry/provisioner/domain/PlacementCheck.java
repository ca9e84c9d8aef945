package io.orchestry.provisioner.domain;

/**
 * Whether an app could run on the fleet at all, asked before a create or a change that needs new replicas is written.
 * Implemented in {@code placement} with the reconciler's placer.
 */
public interface PlacementCheck {

    /**
     * Nothing when at least one replica of the spec could be placed on the fleet by its capacity (not by what is free
     * now: a full fleet is the reconciler's to wait out), or when the fleet is not listed yet; else
     * {@code ResourceExhaustedException} (CAPACITY_EXHAUSTED) naming why: no node of the runtime's kind, no node in the
     * regions, the selector matched none, not enough memory or CPU on any node.
     */
    void requirePlaceable(String app, AppSpec spec);
}
