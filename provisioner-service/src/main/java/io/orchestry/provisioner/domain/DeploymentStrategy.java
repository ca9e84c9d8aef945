package io.orchestry.provisioner.domain;

public enum DeploymentStrategy {
    ROLLING_UPDATE, RECREATE
}
