package io.orchestry.provisioner.domain;

public enum AppState {
    PENDING, RUNNING, DEPLOYING, DEGRADED, STOPPED, DELETING
}
