package io.orchestry.provisioner.domain;

public enum InstanceState {
    /** Placed, not started yet. */
    PENDING,
    /** Started, waiting for its first successful health check. */
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED,
    /** Exited with an error or could not start; see lastError. */
    FAILED
}
