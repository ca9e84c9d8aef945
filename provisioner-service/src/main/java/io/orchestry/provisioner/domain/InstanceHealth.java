package io.orchestry.provisioner.domain;

public enum InstanceHealth {
    UNKNOWN, HEALTHY, UNHEALTHY
}
