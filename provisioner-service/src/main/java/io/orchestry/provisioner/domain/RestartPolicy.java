package io.orchestry.provisioner.domain;

/** What happens when a replica exits. */
public enum RestartPolicy {
    ALWAYS, ON_FAILURE, NEVER
}
