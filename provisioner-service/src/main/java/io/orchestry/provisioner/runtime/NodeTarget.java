package io.orchestry.provisioner.runtime;

import io.orchestry.provisioner.domain.DriverKind;

/**
 * Where a driver reaches a node.
 *
 * @param endpoint "local" (process), "unix:///var/run/docker.sock" or "tcp://host:2376" (docker)
 * @param address  the address ports are published on and clients connect to (127.0.0.1 here)
 */
public record NodeTarget(String name, DriverKind kind, String endpoint, String address) {
}
