package io.orchestry.provisioner.runtime;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A workload as observed.
 *
 * @param exitCode set once it exited
 * @param error    why it could not start or how it ended, for people; empty when none
 */
public record WorkloadStatus(WorkloadHandle handle, OwnerLabels owner, WorkloadState state, @Nullable Integer exitCode,
                             String error, @Nullable Instant finishedAt) {

    public WorkloadId id() {
        return handle.id();
    }

    public enum WorkloadState { CREATED, RUNNING, EXITED }
}
