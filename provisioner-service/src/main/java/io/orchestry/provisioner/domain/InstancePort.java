package io.orchestry.provisioner.domain;

/** An app's port as published on the node: the PortSpec's name and the port on the node's address. */
public record InstancePort(String name, int port) {
}
