package io.orchestry.provisioner.domain;

/**
 * A named port of an app.
 *
 * @param containerPort the port inside the container; ignored for processes (the driver picks a free one)
 */
public record PortSpec(String name, int containerPort, PortProtocol protocol) {
}
