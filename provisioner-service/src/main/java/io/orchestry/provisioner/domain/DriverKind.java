package io.orchestry.provisioner.domain;

/** How a node runs workloads (the registry's {@code DriverKind}). */
public enum DriverKind {
    PROCESS, DOCKER, KUBERNETES
}
