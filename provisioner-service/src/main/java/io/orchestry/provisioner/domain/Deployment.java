package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/** One rollout of an app from one revision to another (equal for a restart). */
public record Deployment(
        String id,
        String app,
        String project,
        long fromRevision,
        long toRevision,
        DeploymentState state,
        DeploymentStrategy strategy,
        DeploymentTrigger trigger,
        String message,
        int updatedReplicas,
        int desiredReplicas,
        Instant createTime,
        @Nullable Instant startTime,
        @Nullable Instant endTime) {

    public boolean finished() {
        return state == DeploymentState.SUCCEEDED || state == DeploymentState.FAILED
                || state == DeploymentState.ROLLED_BACK || state == DeploymentState.SUPERSEDED;
    }

    public enum DeploymentState { PENDING, IN_PROGRESS, SUCCEEDED, FAILED, ROLLED_BACK, SUPERSEDED }

    public enum DeploymentTrigger { CREATE, UPDATE, ROLLBACK, RESTART }
}
