package io.orchestry.provisioner.domain;

public enum PortProtocol {
    TCP, UDP
}
