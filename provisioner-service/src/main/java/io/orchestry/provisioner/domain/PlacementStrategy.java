package io.orchestry.provisioner.domain;

public enum PlacementStrategy {
    /** Replicas on as many nodes as possible (the default). */
    SPREAD,
    /** Replicas on as few nodes as possible. */
    BINPACK
}
