package io.orchestry.registry.domain;

/** How the provisioner runs workloads on a node. */
public enum DriverKind {
    PROCESS, DOCKER, KUBERNETES
}
